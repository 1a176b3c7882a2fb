// The share page's "Copy" buttons (templates/admin/articles/share.html): copy
// the link in the field they name, and say so beside it. Without this script
// the buttons stay hidden and the read-only field is selected and copied by hand.

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
