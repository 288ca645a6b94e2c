// Intake keyboard helpers (progressive enhancement: the page works the same without this file).
// Enter in a one-line field moves to the next field instead of submitting half a testimony;
// Ctrl+Enter (or Cmd+Enter) anywhere presses "Save testimony".
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("intake-form");
  if (!form) return;
  const save = form.querySelector('button[name="save"]');
  form.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const el = ev.target;
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      save.click();
      return;
    }
    if (el.tagName === "INPUT" && !["submit", "button", "checkbox", "radio"].includes(el.type)) {
      ev.preventDefault();
      const fields = [...form.querySelectorAll("input:not([type=hidden]), select, textarea, button")]
        .filter((f) => !f.disabled && f.tabIndex >= 0 && f.offsetParent !== null);
      const next = fields[fields.indexOf(el) + 1];
      if (next) next.focus();
    }
  });
});
