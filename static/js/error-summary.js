// A refused form's summary of errors (templates/admin/articles/_error_summary.html):
// brought into view and focused when the page opens, so that the first thing
// seen and read is what to fix; its links take the focus to the field itself.

const summary = document.querySelector("[data-error-summary]");
const CONTROLS = "input:not([type=hidden]), select, textarea, button";

if (summary) {
  summary.focus();
  summary.scrollIntoView({ block: "start" });
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(link.hash.slice(1));
    if (!target) return;
    // A group of radio buttons is linked by its wrapper: focus its first choice.
    const control = target.matches(CONTROLS) ? target : target.querySelector(CONTROLS);
    if (!control) return;
    event.preventDefault();
    control.focus();
    control.scrollIntoView({ block: "center" });
  });
}
