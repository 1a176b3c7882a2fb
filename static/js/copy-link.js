// "Copy" buttons: copy the text of the read-only field they name, and say so
// beside it. The share page (templates/admin/articles/share.html) and each
// table's "Share / embed" page (templates/articles/table_share.html).
// Without this script the buttons stay hidden and the field's text is
// selected and copied by hand.

const SAID_FOR_MS = 4000;

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  let timer;
  button.addEventListener("click", async () => {
    let said = button.dataset.copied;
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      said = button.dataset.failed;
    }
    field.select();
    status.textContent = said;
    clearTimeout(timer);
    timer = setTimeout(() => { status.textContent = ""; }, SAID_FOR_MS);
  });
}
