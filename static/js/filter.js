// Narrow the indicator list as the practitioner types (the Filter button does the same without JS).
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-module='app-filter']");
  if (!box) return;
  const words = box.value.trim().toLowerCase();
  const root = document.querySelector(box.dataset.target);
  if (!root) return;
  root.querySelectorAll(".govuk-checkboxes__item").forEach((item) => {
    item.hidden = words !== "" && !item.textContent.toLowerCase().includes(words);
  });
  root.querySelectorAll(".app-section").forEach((section) => {
    section.hidden = !section.querySelector(".govuk-checkboxes__item:not([hidden])");
  });
});
