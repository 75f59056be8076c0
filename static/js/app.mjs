// GOV.UK Frontend: mark JavaScript as available and start its components. No inline script,
// so the Content Security Policy needs no 'unsafe-inline'.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A danger route that has just appeared takes focus, so it is seen and read at once (the bar is role=alert).
document.body.addEventListener("htmx:afterSettle", () => {
  const alert = document.querySelector("[data-focus-on-swap]");
  if (alert) {
    alert.removeAttribute("data-focus-on-swap");
    alert.focus();
  }
});
