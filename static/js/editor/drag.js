// A handle before each block to drag it elsewhere in the article. (Alt+Up
// and Alt+Down move it with the keyboard: commands.js.) The move is one step,
// undone like any other.
import { Plugin } from "../../vendor/prosemirror-state/index.js";
import { Decoration, DecorationSet } from "../../vendor/prosemirror-view/index.js";

const TYPE = "application/x-newsroom-block";

function handles(doc, label) {
  const decorations = [];
  doc.forEach((_node, offset) => {
    decorations.push(
      Decoration.widget(
        offset,
        () => {
          const handle = document.createElement("span");
          handle.className = "nr-drag-handle";
          handle.draggable = true;
          handle.contentEditable = "false";
          handle.title = label;
          handle.setAttribute("aria-hidden", "true"); // the keyboard has Alt+arrows
          return handle;
        },
        { side: -1, key: "handle", ignoreSelection: true },
      ),
    );
  });
  return DecorationSet.create(doc, decorations);
}

function atBlockStarts(set, doc) {
  const found = set.find().map((decoration) => decoration.from).sort((a, b) => a - b);
  if (found.length !== doc.childCount) return false;
  let offset = 0;
  for (let i = 0; i < doc.childCount; i++) {
    if (found[i] !== offset) return false;
    offset += doc.child(i).nodeSize;
  }
  return true;
}

// The top-level boundary nearest to a drop point.
function boundaryAt(view, event) {
  const found = view.posAtCoords({ left: event.clientX, top: event.clientY });
  if (!found) return null;
  const $pos = view.state.doc.resolve(found.pos);
  if ($pos.depth === 0) return found.pos;
  const before = $pos.before(1);
  const after = $pos.after(1);
  const dom = view.nodeDOM(before);
  if (!dom || !dom.getBoundingClientRect) return after;
  const box = dom.getBoundingClientRect();
  return event.clientY < box.top + box.height / 2 ? before : after;
}

export function dragHandles(label) {
  return new Plugin({
    state: {
      init: (_, state) => handles(state.doc, label),
      // Typing only moves the handles: mapped, they are not drawn again.
      apply(tr, set, _old, state) {
        if (!tr.docChanged) return set;
        const mapped = set.map(tr.mapping, tr.doc);
        return atBlockStarts(mapped, state.doc) ? mapped : handles(state.doc, label);
      },
    },
    props: {
      decorations(state) {
        return this.getState(state);
      },
      handleDOMEvents: {
        // Not a click in the text: the browser's own drag starts from here.
        mousedown: (view, event) => !!(event.target.closest && event.target.closest(".nr-drag-handle")),
        dragstart(view, event) {
          const handle = event.target.closest && event.target.closest(".nr-drag-handle");
          if (!handle) return false;
          const offset = view.posAtDOM(handle, 0);
          event.dataTransfer.setData(TYPE, String(offset));
          event.dataTransfer.effectAllowed = "move";
          const block = view.nodeDOM(offset);
          if (block instanceof Element) event.dataTransfer.setDragImage(block, 0, 0);
          return true;
        },
      },
      handleDrop(view, event) {
        const offset = event.dataTransfer.getData(TYPE);
        if (offset === "") return false;
        event.preventDefault();
        const from = Number(offset);
        const node = view.state.doc.nodeAt(from);
        const target = boundaryAt(view, event);
        if (!node || target === null || (target >= from && target <= from + node.nodeSize)) return true;
        let tr = view.state.tr.delete(from, from + node.nodeSize);
        tr = tr.insert(tr.mapping.map(target), node);
        view.dispatch(tr.scrollIntoView());
        return true;
      },
    },
  });
}
