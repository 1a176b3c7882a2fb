// The editor's controls: the toolbar, the block menu ("+" and "/") and the
// link dialog. Every word comes from the server (say), every control is a
// real button reachable by keyboard, and focus goes back to the text after.
import { toggleMark } from "../../vendor/prosemirror-commands/index.js";
import { redo, undo } from "../../vendor/prosemirror-history/index.js";
import { Plugin, TextSelection } from "../../vendor/prosemirror-state/index.js";
import {
  currentBlock,
  insertBlock,
  markActive,
  moveBlock,
  toggleHeading,
  toggleList,
} from "./commands.js";
import { schema } from "./schema.js";

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  });
  (children || []).forEach((child) =>
    node.append(typeof child === "string" ? document.createTextNode(child) : child),
  );
  return node;
}

export const BLOCK_KINDS = ["paragraph", "heading", "bullet_list", "ordered_list", "table"];

// The toolbar: [name, label key, command, is it "on" now?]
export function toolbar(view, say, actions) {
  const buttons = [
    ["bold", "BOLD", toggleMark(schema.marks.strong), (s) => markActive(s, schema.marks.strong)],
    ["italic", "ITALIC", toggleMark(schema.marks.em), (s) => markActive(s, schema.marks.em)],
    ["link", "LINK", actions.link, (s) => markActive(s, schema.marks.link)],
    ["heading", "HEADING", toggleHeading, (s) => currentBlock(s).node.type === schema.nodes.heading],
    [
      "bullet_list",
      "BULLET_LIST",
      toggleList(schema.nodes.bullet_list),
      (s) => currentBlock(s).node.type === schema.nodes.bullet_list,
    ],
    [
      "ordered_list",
      "ORDERED_LIST",
      toggleList(schema.nodes.ordered_list),
      (s) => currentBlock(s).node.type === schema.nodes.ordered_list,
    ],
    ["insert", "INSERT", actions.openBlockMenu, null],
    ["up", "MOVE_UP", moveBlock(-1), null],
    ["down", "MOVE_DOWN", moveBlock(1), null],
    ["undo", "UNDO", undo, null],
    ["redo", "REDO", redo, null],
  ];
  const bar = element("div", { class: "nr-editor-toolbar", role: "toolbar", "aria-label": say("TOOLBAR") });
  const controls = buttons.map(([name, key, command, active]) => {
    const button = element(
      "button",
      { type: "button", "data-action": name, title: say(key + "_HELP") },
      [say(key)],
    );
    if (active) button.setAttribute("aria-pressed", "false");
    // mousedown would take the focus (and the selection) from the text.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      command(view.state, view.dispatch, view);
      if (name !== "link" && name !== "insert") view.focus();
    });
    bar.append(button);
    return { button, command, active };
  });
  // One tab stop for the toolbar; arrows move within it (WAI-ARIA toolbar).
  let focused = 0;
  function rove(index) {
    focused = (index + controls.length) % controls.length;
    controls.forEach(({ button }, i) => button.setAttribute("tabindex", i === focused ? "0" : "-1"));
  }
  bar.addEventListener("keydown", (event) => {
    const index = controls.findIndex(({ button }) => button === document.activeElement);
    if (index === -1) return;
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      rove(event.key === "Home" ? 0 : event.key === "End" ? controls.length - 1 : index + step);
      controls[focused].button.focus();
    }
  });
  rove(0);
  function update(state) {
    controls.forEach(({ button, command, active }) => {
      button.disabled = !command(state, null, view);
      if (active) button.setAttribute("aria-pressed", active(state) ? "true" : "false");
    });
  }
  return { element: bar, update };
}

// A menu of block kinds: opened by the toolbar's "+" or by "/" on an empty line.
export function blockMenu(view, say, blankColumn) {
  const menu = element("div", { class: "nr-block-menu", role: "menu", "aria-label": say("INSERT_HELP"), hidden: "" });
  const items = BLOCK_KINDS.map((kind) => {
    const item = element("button", { type: "button", role: "menuitem", tabindex: "-1", "data-kind": kind }, [
      say("KIND_" + kind.toUpperCase()),
    ]);
    item.addEventListener("click", () => choose(kind));
    menu.append(item);
    return item;
  });
  let removeSlash = false;

  function open(fromSlash) {
    removeSlash = fromSlash;
    const coords = view.coordsAtPos(view.state.selection.from);
    const box = view.dom.parentNode.getBoundingClientRect();
    menu.style.top = `${coords.bottom - box.top + 4}px`;
    menu.style.left = `${Math.max(0, coords.left - box.left)}px`;
    menu.hidden = false;
    items[0].focus();
  }
  function close(refocus) {
    menu.hidden = true;
    if (refocus) view.focus();
  }
  function choose(kind) {
    if (removeSlash) {
      const { from } = view.state.selection;
      const before = view.state.doc.textBetween(from - 1, from);
      if (before === "/") view.dispatch(view.state.tr.delete(from - 1, from));
    }
    close(false);
    insertBlock(kind, blankColumn)(view.state, view.dispatch, view);
    view.focus();
  }
  menu.addEventListener("keydown", (event) => {
    const index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = (index + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items[next].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  });
  menu.addEventListener("focusout", (event) => {
    if (!menu.contains(event.relatedTarget)) close(false);
  });
  return { element: menu, open, close };
}

// "/" typed on an empty paragraph opens the block menu.
export function slashPlugin(openMenu) {
  return new Plugin({
    props: {
      handleTextInput(view, from, to, text) {
        const { $from } = view.state.selection;
        if (text !== "/" || $from.parent.type !== schema.nodes.paragraph || $from.parent.content.size) {
          return false;
        }
        view.dispatch(view.state.tr.insertText("/", from, to));
        openMenu(true);
        return true;
      },
    },
  });
}

// The link dialog: beside the text, not a browser prompt. Apply, Remove
// (when on a link) or Escape; the link's address must be http(s) or mailto,
// as the server keeps nothing else.
export function linkDialog(view, say) {
  // Not type=url: "example.org" is refused by the browser before we can add https://.
  const input = element("input", { type: "text", inputmode: "url", id: "nr-link-href", autocomplete: "off", placeholder: "https://" });
  const error = element("p", { class: "nr-link-error", id: "nr-link-error", role: "alert" });
  const apply = element("button", { type: "submit" }, [say("LINK_APPLY")]);
  const remove = element("button", { type: "button", "data-action": "unlink" }, [say("LINK_REMOVE")]);
  const cancel = element("button", { type: "button" }, [say("CANCEL")]);
  const form = element("form", { class: "nr-link-dialog", role: "dialog", "aria-label": say("LINK_HELP"), hidden: "" }, [
    element("label", { for: "nr-link-href" }, [say("LINK_ADDRESS")]),
    input,
    error,
    element("div", { class: "nr-link-buttons" }, [apply, remove, cancel]),
  ]);
  let range = null;

  function linkRange(state) {
    const { from, to, empty, $from } = state.selection;
    const type = schema.marks.link;
    if (!empty) return { from, to, mark: type.isInSet($from.marks()) };
    // The cursor inside a link: the whole link.
    const mark = type.isInSet($from.marks());
    if (!mark) return null;
    let start = from;
    let end = from;
    while (start > $from.start() && type.isInSet(state.doc.resolve(start - 1).marks())) start--;
    while (end < $from.end() && mark.isInSet(state.doc.resolve(end + 1).marks())) end++;
    return { from: start, to: end, mark };
  }

  function open(state) {
    range = linkRange(state);
    if (!range) return false;
    const coords = view.coordsAtPos(range.from);
    const box = view.dom.parentNode.getBoundingClientRect();
    form.style.top = `${coords.bottom - box.top + 4}px`;
    form.style.left = `${Math.max(0, coords.left - box.left)}px`;
    input.value = range.mark ? range.mark.attrs.href : "";
    remove.hidden = !range.mark;
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    form.hidden = false;
    input.focus();
    input.select();
    return true;
  }
  function close() {
    form.hidden = true;
    view.focus();
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let href = input.value.trim();
    if (href && !/^[a-z][a-z0-9+.-]*:/i.test(href)) href = (href.includes("@") ? "mailto:" : "https://") + href;
    if (!/^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href)) {
      error.textContent = say("LINK_INVALID");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "nr-link-error");
      input.focus();
      return;
    }
    const type = schema.marks.link;
    const tr = view.state.tr.removeMark(range.from, range.to, type).addMark(range.from, range.to, type.create({ href }));
    view.dispatch(tr.setSelection(TextSelection.create(tr.doc, range.to)));
    close();
  });
  remove.addEventListener("click", () => {
    view.dispatch(view.state.tr.removeMark(range.from, range.to, schema.marks.link));
    close();
  });
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  // A command: applies when there is text to link or a link to edit.
  const command = (state, dispatch) => {
    if (!linkRange(state)) return false;
    if (dispatch) open(state);
    return true;
  };
  return { element: form, command };
}
