// The embed page's height, for the page that frames it (docs/embeds.md).
// Optional on both sides: the copied <iframe> code has a height of its own.
// A host page that wants the frame to fit asks once with
//   frame.contentWindow.postMessage({type: "newsroom-embed-height-request"}, "*")
// and is answered, then told again whenever the height changes, with
//   {type: "newsroom-embed-height", height: <CSS pixels>}.
// The height says nothing private, so any page that frames this one may ask.

const ASKED = "newsroom-embed-height-request";
const ANSWER = "newsroom-embed-height";

let asker = null; // {window, origin} of the parent that asked
let sent = 0;

function height() {
  const body = document.body;
  const style = getComputedStyle(body);
  return Math.ceil(
    body.getBoundingClientRect().height +
      parseFloat(style.marginTop) +
      parseFloat(style.marginBottom),
  );
}

function send(force = false) {
  if (!asker) return;
  const now = height();
  if (now === sent && !force) return;
  sent = now;
  // A sandboxed or file: parent has the opaque origin "null": no origin to
  // name, and nothing private to keep from it.
  const origin = asker.origin && asker.origin !== "null" ? asker.origin : "*";
  asker.window.postMessage({ type: ANSWER, height: now }, origin);
}

if (window.parent !== window) {
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const data = event.data;
    if (data !== ASKED && !(data && data.type === ASKED)) return;
    asker = { window: event.source, origin: event.origin };
    send(true);
  });
  // Sorting, filtering and paging load a new page, which the parent asks
  // again on its load event; fonts and a narrower frame change it in place.
  new ResizeObserver(() => send()).observe(document.body);
}
