// GOV.UK Frontend: mark JavaScript as available and start its components. No inline script,
// so the Content Security Policy needs no 'unsafe-inline'.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
