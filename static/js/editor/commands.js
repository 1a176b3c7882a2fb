// What the keys, the toolbar and the block menu do. Each is a ProseMirror
// command: (state, dispatch) -> whether it applies, acting only if dispatch
// is given, so that buttons can ask whether they apply.
import {
  baseKeymap,
  chainCommands,
  setBlockType,
  toggleMark,
} from "../../vendor/prosemirror-commands/index.js";
import { redo, undo } from "../../vendor/prosemirror-history/index.js";
import {
  inputRules,
  textblockTypeInputRule,
  wrappingInputRule,
} from "../../vendor/prosemirror-inputrules/index.js";
import { keymap } from "../../vendor/prosemirror-keymap/index.js";
import {
  liftListItem,
  splitListItem,
  wrapInList,
} from "../../vendor/prosemirror-schema-list/index.js";
import { NodeSelection, TextSelection } from "../../vendor/prosemirror-state/index.js";
import { schema } from "./schema.js";

const { nodes, marks } = schema;

// The top-level block the selection is in: its index, position and node.
export function currentBlock(state) {
  const { $from } = state.selection;
  if (state.selection instanceof NodeSelection && $from.depth === 0) {
    return { index: $from.index(0), pos: $from.pos, node: state.selection.node };
  }
  const index = $from.index(0);
  return { index, pos: $from.before(1), node: state.doc.child(index) };
}

// Swap the current block with the one above (-1) or below (+1).
export function moveBlock(direction) {
  return (state, dispatch) => {
    const { index, pos, node } = currentBlock(state);
    const otherIndex = index + direction;
    if (otherIndex < 0 || otherIndex >= state.doc.childCount) return false;
    if (dispatch) {
      const other = state.doc.child(otherIndex);
      const offset = state.selection.from - pos;
      const tr = state.tr.delete(pos, pos + node.nodeSize);
      const target = direction < 0 ? pos - other.nodeSize : pos + other.nodeSize;
      tr.insert(target, node);
      const selection =
        node.type === nodes.table
          ? NodeSelection.create(tr.doc, target)
          : TextSelection.create(tr.doc, Math.min(target + offset, target + node.nodeSize - 1));
      dispatch(tr.setSelection(selection).scrollIntoView());
    }
    return true;
  };
}

export function newTable(columns, rows) {
  return nodes.table.create({
    data: {
      type: "table",
      caption: "",
      source_note: "",
      source_url: "",
      source_retrieved: "",
      row_headers: true,
      narrow_layout: "scroll",
      columns: columns.map((column) => Object.assign({}, column)),
      rows: Array.from({ length: rows }, () => columns.map(() => "")),
    },
  });
}

// Put a block of `kind` where the cursor is: the current empty paragraph
// becomes it, otherwise it goes after the current block.
export function insertBlock(kind, blankColumn) {
  return (state, dispatch) => {
    const { pos, node } = currentBlock(state);
    const empty = node.type === nodes.paragraph && node.content.size === 0;
    let block;
    if (kind === "heading") block = nodes.heading.create();
    else if (kind === "bullet_list" || kind === "ordered_list") {
      block = nodes[kind].create(null, nodes.list_item.create(null, nodes.paragraph.create()));
    } else if (kind === "table") {
      block = newTable([blankColumn(), blankColumn(), blankColumn()], 3);
    } else block = nodes.paragraph.create();
    if (!dispatch) return true;
    const at = empty ? pos : pos + node.nodeSize;
    let tr = empty ? state.tr.replaceWith(pos, pos + node.nodeSize, block) : state.tr.insert(at, block);
    if (kind === "table") {
      // Something to type in after the table.
      const after = at + block.nodeSize;
      if (after >= tr.doc.content.size || tr.doc.resolve(after).nodeAfter?.type !== nodes.paragraph) {
        tr = tr.insert(after, nodes.paragraph.create());
      }
      tr = tr.setSelection(NodeSelection.create(tr.doc, at));
    } else {
      tr = tr.setSelection(TextSelection.near(tr.doc.resolve(at + 1)));
    }
    dispatch(tr.scrollIntoView());
    return true;
  };
}

export const toggleHeading = (state, dispatch, view) => {
  const { node } = currentBlock(state);
  if (node.type === nodes.heading) return setBlockType(nodes.paragraph)(state, dispatch, view);
  return setBlockType(nodes.heading)(state, dispatch, view);
};

export function toggleList(type) {
  return (state, dispatch, view) => {
    const { node } = currentBlock(state);
    if (node.type === type) return liftListItem(nodes.list_item)(state, dispatch, view);
    if (node.type === nodes.bullet_list || node.type === nodes.ordered_list) {
      if (dispatch) {
        const { pos } = currentBlock(state);
        dispatch(state.tr.setNodeMarkup(pos, type));
      }
      return true;
    }
    return wrapInList(type)(state, dispatch, view);
  };
}

export function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

// Lists are flat in the snapshot: Tab does not nest items.
export function buildKeymap(actions) {
  const keys = {
    "Mod-z": undo,
    "Shift-Mod-z": redo,
    "Mod-y": redo,
    "Mod-b": toggleMark(marks.strong),
    "Mod-B": toggleMark(marks.strong),
    "Mod-i": toggleMark(marks.em),
    "Mod-I": toggleMark(marks.em),
    "Mod-k": actions.link,
    "Mod-K": actions.link,
    "Mod-Alt-2": toggleHeading,
    "Mod-Alt-0": setBlockType(nodes.paragraph),
    "Shift-Mod-8": toggleList(nodes.bullet_list),
    "Shift-Mod-7": toggleList(nodes.ordered_list),
    "Alt-ArrowUp": moveBlock(-1),
    "Alt-ArrowDown": moveBlock(1),
    Enter: chainCommands(splitListItem(nodes.list_item), leaveHeading),
    "Mod-[": liftListItem(nodes.list_item),
  };
  return [keymap(keys), keymap(baseKeymap)];
}

// Enter at the end of a heading starts a paragraph, not another heading.
function leaveHeading(state, dispatch) {
  const { $from, empty } = state.selection;
  if (!empty || $from.parent.type !== nodes.heading || $from.parentOffset < $from.parent.content.size) {
    return false;
  }
  if (dispatch) {
    const after = $from.after();
    const tr = state.tr.insert(after, nodes.paragraph.create());
    dispatch(tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView());
  }
  return true;
}

export function buildInputRules() {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^#{1,6}\s$/, nodes.heading),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list),
      wrappingInputRule(/^(\d+)\.\s$/, nodes.ordered_list),
    ],
  });
}
