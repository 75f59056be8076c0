// The live indicator filter. The matching is the server's (catalogues/search.py, the same as the Filter
// button without JavaScript): this asks the assessment's search endpoint which indicators match, then shows
// those, hides the rest and marks the matched words. A hidden box stays in the ticks form, so a tick it
// holds is still saved. The box and the Filter button belong to the ticks form: without JavaScript (and here,
// on a page the server filtered) Filter posts the ticks with the words, and the server saves them and shows
// the new search. A submit is Filter's or Save's: told apart by the button that submits it.
(() => {
  const DEBOUNCE_MS = 250;

  function setUp(box) {
    const root = document.querySelector(box.dataset.target);
    const url = box.dataset.url;
    if (!root || !url) return;
    const form = box.form; // the ticks form (the box's form attribute)
    const button = document.getElementById(box.dataset.button);
    const status = document.getElementById("filter-status");
    const hint = document.getElementById("filter-hint");
    const originalLabels = new Map(); // each label as first rendered, to put back when the filter clears
    // A page filtered on the server holds only its matches; a new search there must go to the server.
    const serverFiltered = box.defaultValue.trim() !== "";
    let timer = null;
    let controller = null;

    const items = () => Array.from(root.querySelectorAll(".govuk-checkboxes__item"));
    const inputOf = (item) => item.querySelector("input.govuk-checkboxes__input");

    function labelOf(item) {
      const label = item.querySelector(".govuk-checkboxes__label");
      if (label && !originalLabels.has(item)) originalLabels.set(item, label.innerHTML);
      return label;
    }

    function setHidden(el, hidden) {
      if (el) el.hidden = hidden;
    }

    function tidy() {
      // A level's heading and list go when none of its boxes shows; a section when none of its lists does.
      root.querySelectorAll(".app-indicator-list").forEach((list) => {
        const empty = !list.querySelector(".govuk-checkboxes__item:not([hidden])");
        list.hidden = empty;
        const heading = list.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = empty;
      });
      root.querySelectorAll(".app-section").forEach((section) => {
        section.hidden = !section.querySelector(".govuk-checkboxes__item:not([hidden])");
      });
    }

    function hiddenTicked() {
      return items().filter((item) => item.hidden && inputOf(item) && inputOf(item).checked).length;
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function showHint(query, suggestions) {
      if (!hint) return;
      hint.replaceChildren();
      hint.hidden = false;
      const p = document.createElement("p");
      p.className = "govuk-body";
      p.textContent = `No indicator matches “${query}”.` + (suggestions.length ? " Try:" : " Check the spelling, or use fewer words.");
      hint.append(p);
      if (suggestions.length) {
        const list = document.createElement("ul");
        list.className = "govuk-list govuk-list--bullet";
        suggestions.forEach((s) => {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.className = "govuk-link";
          a.href = "?" + new URLSearchParams({ q: s }).toString();
          a.textContent = s;
          a.dataset.suggestion = s;
          li.append(a);
          list.append(li);
        });
        hint.append(list);
      }
    }

    function clearHint() {
      if (!hint) return;
      hint.hidden = true;
      hint.replaceChildren();
    }

    function showAll() {
      items().forEach((item) => {
        const label = labelOf(item);
        if (label) label.innerHTML = originalLabels.get(item);
        item.hidden = false;
        setHidden(document.getElementById(`route-${inputOf(item)?.value}`), false);
      });
      tidy();
      clearHint();
      say("");
    }

    function apply(query, data) {
      const labels = data.labels || {};
      let missing = 0;
      const present = new Set();
      items().forEach((item) => {
        const input = inputOf(item);
        if (!input) return;
        present.add(input.value);
        const found = Object.prototype.hasOwnProperty.call(labels, input.value);
        const label = labelOf(item);
        // Labels come from the server, the guidance's words escaped there, the matches in <mark>.
        if (label) label.innerHTML = found ? labels[input.value] : originalLabels.get(item);
        item.hidden = !found;
        // The danger route beside a box goes and comes with it.
        setHidden(document.getElementById(`route-${input.value}`), !found);
      });
      Object.keys(labels).forEach((id) => { if (!present.has(id)) missing += 1; });
      tidy();
      const kept = hiddenTicked();
      let text = data.said;
      if (kept) text += `. ${kept} ticked ${kept === 1 ? "indicator is" : "indicators are"} hidden by the filter and ${kept === 1 ? "stays" : "stay"} ticked`;
      if (missing) text += `. ${missing} more not on this page: press Filter to see them`;
      if (data.count === 0) {
        showHint(query, data.suggestions || []);
        text = `No indicator matches. ${data.suggestions && data.suggestions.length ? "Try: " + data.suggestions.join(", ") : ""}`;
      } else {
        clearHint();
      }
      say(text.trim() + (text.trim().endsWith(".") ? "" : "."));
    }

    async function run() {
      const query = box.value.trim();
      if (controller) controller.abort();
      if (query === "") {
        controller = null;
        showAll();
        return;
      }
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ q: box.value })}`, {
          headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal,
        });
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || !type.includes("application/json")) throw new Error(String(response.status));
        const data = await response.json();
        if (box.value.trim() === query) apply(query, data);
      } catch (error) {
        if (error.name === "AbortError") return;
        say("The list could not be filtered just now. Press Filter to try again.");
      }
    }

    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    if (form) {
      form.addEventListener("submit", (event) => {
        // Enter in the box submits through Filter (the form's first button); Save is the form's own post.
        if (!button || event.submitter !== button) return;
        if (serverFiltered) return; // let the server save the ticks and show every match
        event.preventDefault();
        clearTimeout(timer);
        run();
      });
    }
    if (hint) {
      hint.addEventListener("click", (event) => {
        const link = event.target.closest("a[data-suggestion]");
        if (!link || serverFiltered) return;
        event.preventDefault();
        box.value = link.dataset.suggestion;
        box.focus();
        clearTimeout(timer);
        run();
      });
    }
  }

  function start() {
    document.querySelectorAll("[data-module='app-filter']").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
