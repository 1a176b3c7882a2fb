// The article body's document editor, on the article's admin page.
//
// Its data comes from the server in #nr-editor-config (json_script, built by
// articles/admin/editor_page.py): the body as snapshot sections, the errors
// of a refused save with their places, the words it shows and the addresses
// it calls. On submit it writes the body as JSON into the form's hidden
// `body` field, which the server validates as a whole tree. While the editor
// types, a copy is kept in this browser and, a moment later, on the server
// (autosave: a working copy nobody else sees), which also feeds the preview.
import { dropCursor } from "../../vendor/prosemirror-dropcursor/index.js";
import { gapCursor } from "../../vendor/prosemirror-gapcursor/index.js";
import { history } from "../../vendor/prosemirror-history/index.js";
import { EditorState, Plugin, PluginKey, TextSelection } from "../../vendor/prosemirror-state/index.js";
import { Decoration, DecorationSet, EditorView } from "../../vendor/prosemirror-view/index.js";
import { buildInputRules, buildKeymap } from "./commands.js";
import { fromSections, positionOf, toSections } from "./convert.js";
import { cleanPastedHtml, looksLikeCells, pasteCells, pasteWithTables } from "./paste.js";
import { dragHandles } from "./drag.js";
import { format, plural } from "../grid/words.js";
import { Persistence } from "./persistence.js";
import { schema } from "./schema.js";
import { TableView } from "./table-view.js";
import { blockMenu, linkDialog, slashPlugin, toolbar } from "./ui.js";

function say(config, key, values) {
  return format(config.strings[key] || key, values);
}

// A refused save's errors beside their blocks: node decorations that follow
// the blocks as the text changes, until the next save.
const messageKey = new PluginKey("messages");

function messagePlugin(decorations) {
  return new Plugin({
    key: messageKey,
    state: {
      init: (_, state) => DecorationSet.create(state.doc, decorations(state.doc)),
      apply: (tr, set) => set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => messageKey.getState(state) },
  });
}

// Errors (a refused save's) and notes (the import's repairs, a table's
// warnings) beside their blocks; a table shows its own in its header.
function blockMessages(doc, entries, places, kind) {
  const decorations = [];
  entries.forEach((error, number) => {
    const place = error.place || {};
    if (place.section === undefined || place.block === undefined) return;
    const index = (places[place.section] || [])[place.block];
    if (index === undefined || index >= doc.childCount) return;
    const node = doc.child(index);
    if (node.type === schema.nodes.table && (kind === "note" || place.row !== undefined)) return;
    const pos = positionOf(doc, index);
    if (kind === "error") {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: "nr-has-error", "aria-invalid": "true" }));
    }
    decorations.push(
      Decoration.widget(
        pos,
        () => {
          const message = document.createElement("p");
          message.className = `nr-block-${kind}`;
          message.textContent = error.message;
          return message;
        },
        { side: -1, key: `${kind}-${number}`, ignoreSelection: true },
      ),
    );
  });
  return decorations;
}

// The cell problems of a table, as the grid shows them (row, column from 1).
function tableProblems(errors, section, block) {
  return errors
    .filter((error) => {
      const place = error.place || {};
      return place.section === section && place.block === block && place.row !== undefined;
    })
    .map((error) => ({
      level: "error",
      message: error.message,
      row: error.place.row + 1,
      column: error.place.column === undefined ? null : error.place.column + 1,
    }));
}

function openDocument(config) {
  const errors = config.errors || [];
  const { doc, places } = fromSections(config.sections);
  let tr = EditorState.create({ doc }).tr;
  (config.sections || []).forEach((section, s) =>
    (section.blocks || []).forEach((block, b) => {
      if (block.type !== "table") return;
      const problems = tableProblems(errors, s, b);
      const notes = (config.notes || [])
        .filter((note) => note.place.section === s && note.place.block === b)
        .map((note) => note.message);
      if (!problems.length && !notes.length) return;
      const pos = positionOf(tr.doc, places[s][b]);
      const node = tr.doc.nodeAt(pos);
      tr = tr.setNodeMarkup(pos, null, Object.assign({}, node.attrs, { problems, notes }));
    }),
  );
  return { doc: tr.doc, places, errors };
}

function summary(config, errors, view, places) {
  const box = document.getElementById("nr-editor-summary");
  if (!errors.length) {
    box.hidden = true;
    return;
  }
  const title = document.createElement("h2");
  title.textContent = plural(config.strings.SUMMARY, errors.length);
  const list = document.createElement("ul");
  errors.forEach((error) => {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "#nr-editor";
    link.textContent = error.message;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const place = error.place || {};
      const index = (places[place.section] || [])[place.block];
      if (index === undefined) return view.focus();
      const pos = positionOf(view.state.doc, index);
      const node = view.state.doc.nodeAt(pos);
      if (node && node.type === schema.nodes.table) {
        const dom = view.nodeDOM(pos);
        dom.scrollIntoView({ block: "center" });
        const cell = dom.querySelector("[aria-invalid='true'], .nr-grid-problem, input");
        if (cell) cell.focus();
        return;
      }
      view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(pos + 1))).scrollIntoView());
      view.focus();
    });
    item.append(link);
    list.append(item);
  });
  box.replaceChildren(title, list);
  box.hidden = false;
  box.focus();
}

function mount() {
  const holder = document.getElementById("nr-editor");
  const source = document.getElementById("nr-editor-config");
  if (!holder || !source) return;
  const config = JSON.parse(source.textContent);
  config.say = (key, values) => say(config, key, values);
  config.csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const form = holder.closest("form");
  const bodyInput = form.querySelector("input[name=body]");
  const blankColumn = () => Object.assign({}, config.gridSchema.blankColumn, { decimals: null });

  const opened = openDocument(config);
  let view;
  const actions = {
    link: (state, dispatch) => link.command(state, dispatch),
    openBlockMenu: (state, dispatch) => {
      if (dispatch) menu.open(false);
      return true;
    },
  };
  const state = EditorState.create({
    doc: opened.doc,
    plugins: [
      buildInputRules(),
      ...buildKeymap(actions),
      history(),
      dropCursor(),
      gapCursor(),
      slashPlugin((fromSlash) => menu.open(fromSlash)),
      dragHandles(config.say("DRAG_HELP")),
      messagePlugin((doc) => [
        ...blockMessages(doc, opened.errors, opened.places, "error"),
        ...blockMessages(doc, config.notes || [], opened.places, "note"),
      ]),
    ],
  });

  const persistence = new Persistence(config, form, () => toSections(view.state.doc).sections);
  const surface = document.createElement("div");
  surface.className = "nr-editor-surface";
  view = new EditorView(surface, {
    state,
    attributes: {
      class: "nr-editor-body",
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": config.say("BODY"),
      spellcheck: "true",
    },
    nodeViews: { table: (node, editorView, getPos) => new TableView(node, editorView, getPos, config) },
    transformPastedHTML: cleanPastedHtml,
    handlePaste(editorView, event) {
      const html = event.clipboardData.getData("text/html");
      const text = event.clipboardData.getData("text/plain");
      let pending = null;
      if (html && /<table[\s>]/i.test(html)) pending = pasteWithTables(html, config);
      else if (!html && looksLikeCells(text)) pending = pasteCells(text, config);
      if (!pending) return false;
      persistence.status(config.say("PASTING"));
      pending.then(
        (slice) => {
          editorView.dispatch(editorView.state.tr.replaceSelection(slice).scrollIntoView());
          persistence.status("");
        },
        (error) => {
          // Nothing is lost: the text goes in as it was copied.
          editorView.dispatch(editorView.state.tr.insertText(text));
          persistence.status(config.say("PASTE_FAILED", { reason: error.message }), true);
        },
      );
      return true;
    },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      bar.update(view.state);
      if (tr.docChanged) persistence.changed();
    },
  });

  const bar = toolbar(view, config.say, actions);
  const menu = blockMenu(view, config.say, blankColumn);
  const link = linkDialog(view, config.say);
  holder.replaceChildren(bar.element, surface, menu.element, link.element);
  holder.hidden = false;
  document.getElementById("nr-body-readonly")?.setAttribute("hidden", "");
  bar.update(view.state);
  summary(config, opened.errors, view, opened.places);

  persistence.start({
    load(document) {
      const { doc } = fromSections(document.sections);
      view.updateState(EditorState.create({ doc, plugins: view.state.plugins }));
      bar.update(view.state);
    },
  });
  form.addEventListener("submit", () => {
    bodyInput.value = JSON.stringify(toSections(view.state.doc).sections);
    persistence.submitting();
  });
  // The first copy converts every block (about 0.1 s on a long article);
  // done while the page is idle, typing's copies only convert what changed.
  (window.requestIdleCallback || setTimeout)(() => toSections(view.state.doc));
  window.newsroomEditor = view; // for the browser tests
  performance.mark("nr-editor-ready"); // bench/editor_bench.py
}

mount();
