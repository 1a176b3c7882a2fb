// The share page's preview of a table's embed (templates/articles/table_share.html):
// fitted to the table as docs/embeds.md's snippet fits it on other sites, by
// asking the embed page its height (js/embed-height.js answers). Without this
// script the preview keeps the height of the copied code, and scrolls.

const ASKED = "newsroom-embed-height-request";
const ANSWER = "newsroom-embed-height";

for (const frame of document.querySelectorAll("iframe[data-fit]")) {
  const origin = new URL(frame.src, location.href).origin;
  addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    if (event.data?.type === ANSWER) frame.height = event.data.height;
  });
  // Sorting or paging inside the frame loads a new page: ask again.
  const ask = () => frame.contentWindow?.postMessage({ type: ASKED }, origin);
  frame.addEventListener("load", ask);
  ask();
}
