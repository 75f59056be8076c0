// The session, as the person sees it (ADR 0006): warn before the idle sign-out and let them stay signed in;
// save what they typed before they sign out; after a time-out keep what they typed on the page, and save it
// once they have signed in again in another tab. Only ever say "saved" when the server said so.
//
// Loaded by templates/base.html for signed-in pages, which put on <body>: data-session-seconds (left now),
// data-session-warning-seconds and data-session-url (authorities.views.session_clock). Every signed-in
// response carries X-Session-Seconds-Left, so any save or tick that reaches the server restarts the timer.

const body = document.body;
const clockUrl = body.dataset.sessionUrl;
const dialog = document.getElementById("session-dialog");
const SHARED = "session-deadline"; // a time shared by this person's tabs: one tab's activity keeps all alive

if (clockUrl && dialog && typeof dialog.showModal === "function") {
  start();
}

function start() {
  const warnMs = Number(body.dataset.sessionWarningSeconds || 120) * 1000;
  let deadline = 0;
  let signedOut = false;
  let final = false; // the 12-hour limit: staying signed in is no longer possible

  // Forms that save as they go (hx-post), with how many edits they have had and how many are saved.
  const edits = new WeakMap();
  const sentAt = new WeakMap();
  const saved = new WeakMap();
  const autosaving = (form) => form instanceof HTMLFormElement && form.hasAttribute("hx-post");
  const isDirty = (form) => (edits.get(form) || 0) > (saved.get(form) || 0);
  const dirtyForms = () => [...document.querySelectorAll("form[hx-post]")].filter(isDirty);

  function setDeadline(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    try { localStorage.setItem(SHARED, String(deadline)); } catch { /* storage off: this tab alone */ }
  }

  function sharedDeadline() {
    try { return Number(localStorage.getItem(SHARED)) || 0; } catch { return 0; }
  }

  setDeadline(Number(body.dataset.sessionSeconds));

  // --- the dialog ---------------------------------------------------------------------------------------
  const parts = [...dialog.querySelectorAll("[data-session-part]")];
  const at = dialog.querySelector("[data-session-at]");
  const countdown = dialog.querySelector("[data-session-countdown]");
  let shown = "";

  function show(name) {
    for (const part of parts) part.hidden = part.dataset.sessionPart !== name;
    dialog.setAttribute("aria-labelledby", `session-${name}-title`);
    dialog.setAttribute("aria-describedby", `session-${name}-text`);
    if (!dialog.open) dialog.showModal();
    if (shown !== name) {
      // Focus the dialog itself so its title and description are read first (not just a button's name).
      dialog.tabIndex = -1;
      dialog.focus();
    }
    shown = name;
  }

  function hide() {
    if (dialog.open) dialog.close();
    shown = "";
  }

  dialog.addEventListener("close", () => { shown = ""; });

  const hhmm = (ms) => new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  function inWords(ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }

  // --- the timer ----------------------------------------------------------------------------------------
  let savingQuietly = false;
  let confirming = false;
  function tick() {
    if (signedOut) {
      if (shown === "warning") show("signed-out"); // "Stay signed in" came too late
      return;
    }
    deadline = Math.max(deadline, sharedDeadline());
    const left = deadline - Date.now();
    if (left <= 0) {
      // Say "signed out" only once the server says so (asking is not activity, and ends the session there).
      if (!confirming) {
        confirming = true;
        clock("GET").catch(() => { signedOut = true; }).finally(() => {
          confirming = false;
          if (signedOut) show("signed-out");
        });
      }
    } else if (left <= warnMs) {
      if (!final && shown !== "warning" && Date.now() - typedAt < 60000 && dirtyForms().length) {
        // Typing is activity the server has not seen yet: save it (which restarts the clock), do not interrupt.
        if (!savingQuietly) {
          savingQuietly = true;
          saveAll().finally(() => { savingQuietly = false; });
        }
        return;
      }
      if (at.textContent !== hhmm(deadline)) at.textContent = hhmm(deadline);
      countdown.textContent = ` (in ${inWords(left)})`;
      dialog.querySelector("[data-session-final]").hidden = !final;
      dialog.querySelector("[data-session-stay]").hidden = final;
      if (shown !== "not-saved") show("warning");
    } else if (shown === "warning") {
      hide(); // another tab kept the session alive
    }
  }
  setInterval(tick, 1000);
  addEventListener("storage", (event) => { if (event.key === SHARED) tick(); });

  // --- what the server says -----------------------------------------------------------------------------
  function heard(secondsLeft) {
    if (secondsLeft === null || secondsLeft === "") return;
    signedOut = false;
    setDeadline(Number(secondsLeft));
    tick();
  }

  body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (autosaving(form)) sentAt.set(form, edits.get(form) || 0);
  });

  body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (!xhr) return;
    if (xhr.status === 401) {
      signedOut = true; // the page already says "Not saved" where the save status is
      return;
    }
    heard(xhr.getResponseHeader("X-Session-Seconds-Left"));
    const form = event.detail.elt;
    // A save that did not happen answers with "Not saved: …" (a conflict, a refusal, a field to fix).
    if (autosaving(form) && xhr.status >= 200 && xhr.status < 300 && !xhr.responseText.includes("Not saved")) {
      saved.set(form, Math.max(saved.get(form) || 0, sentAt.get(form) || 0));
    }
  });

  let typedAt = 0;
  for (const type of ["input", "change"]) {
    document.addEventListener(type, (event) => {
      const form = event.target.form;
      if (!autosaving(form)) return;
      edits.set(form, (edits.get(form) || 0) + 1);
      typedAt = Date.now();
    }, true);
  }

  async function clock(method) {
    const token = document.querySelector("#sign-out-form input[name=csrfmiddlewaretoken]");
    const response = await fetch(clockUrl, {
      method,
      credentials: "same-origin",
      redirect: "manual",
      headers: method === "POST" ? { "X-CSRFToken": token ? token.value : "" } : { Accept: "application/json" },
    });
    // 401: it has just timed out; a redirect (to the sign-in page): it had already ended.
    if (response.status === 401 || response.type === "opaqueredirect") signedOut = true;
    else heard(response.headers.get("X-Session-Seconds-Left"));
    return response;
  }

  // --- saving before leaving --------------------------------------------------------------------------
  function saveNow(form) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, 15000);
      function done() {
        clearTimeout(timer);
        form.removeEventListener("htmx:afterRequest", done);
        resolve();
      }
      form.addEventListener("htmx:afterRequest", done);
      window.htmx.trigger(form, "change"); // the form's own autosave, with its own target and delay
    });
  }

  async function saveAll() {
    for (let attempt = 0; attempt < 3 && dirtyForms().length; attempt += 1) {
      await Promise.all(dirtyForms().map(saveNow));
      if (signedOut) break;
    }
    return dirtyForms().length === 0;
  }

  const signOutForm = document.getElementById("sign-out-form");
  let leaving = false;
  signOutForm?.addEventListener("submit", async (event) => {
    if (leaving || !dirtyForms().length || signedOut) return;
    event.preventDefault();
    if (await saveAll()) {
      leaving = true;
      signOutForm.submit();
    } else {
      show("not-saved"); // never sign out over unsaved text without saying so
    }
  });

  // --- after a time-out: signed in again in another tab? ------------------------------------------------
  async function signedInAgain() {
    let response;
    try { response = await clock("GET"); } catch { return false; }
    if (response.status !== 200) return false;
    const { csrf_token: token } = await response.json();
    // Signing in rotates the CSRF token: without the new one every save from this page would be refused.
    for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) input.value = token;
    signedOut = false;
    final = false;
    return true;
  }

  let checking = false;
  let checkedAt = 0;
  async function comeBack(event) {
    if (!signedOut || checking) return;
    if (event?.type === "keydown" && Date.now() - checkedAt < 3000) return; // not on every key press
    checking = true;
    checkedAt = Date.now();
    try {
      if (await signedInAgain()) {
        hide();
        await saveAll();
      }
    } finally {
      checking = false;
    }
  }
  addEventListener("focus", comeBack);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") comeBack(); });
  // Not every browser says the tab is back (a window beside another, a headless one): a click or a key will do.
  document.addEventListener("pointerdown", comeBack, true);
  document.addEventListener("keydown", comeBack, true);

  // A full-page post while signed out would be sent to the sign-in page and what was typed lost: check first.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form === signOutForm || !(signedOut || Date.now() >= deadline)) return;
    event.preventDefault();
    if (await signedInAgain()) {
      form.requestSubmit(event.submitter);
    } else {
      signedOut = true;
      show("signed-out");
    }
  });

  // --- the buttons --------------------------------------------------------------------------------------
  async function stay() {
    try {
      const response = await clock("POST");
      if (response.status === 204) {
        // The 12-hour limit cannot be extended: if it is the nearer one, say so instead.
        final = Number(response.headers.get("X-Session-Seconds-Left")) * 1000 <= warnMs;
        if (!final) { hide(); return; }
      }
    } catch { /* offline: the warning stays */ }
    tick();
  }
  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  // Escape on the warning means "stay signed in" (as in HMRC's timeout dialog), not "ignore it".
  dialog.addEventListener("cancel", (event) => {
    if (shown === "warning" && !final) {
      event.preventDefault();
      stay();
    }
  });
  dialog.querySelector("[data-session-sign-out]").addEventListener("click", () => {
    hide();
    signOutForm.requestSubmit();
  });
  dialog.querySelector("[data-session-sign-out-anyway]").addEventListener("click", () => {
    leaving = true;
    signOutForm.submit();
  });
  for (const button of dialog.querySelectorAll("[data-session-close]")) button.addEventListener("click", hide);
}
