// Paste that keeps structure. What the schema knows (paragraphs, headings,
// lists, bold, italic, links) is kept and the rest dropped by ProseMirror's
// parser; Word's leftovers are cleaned first. Tables, from HTML or a
// spreadsheet's tab-separated text, go through the server's importer (the
// one that repairs legacy articles: spans expanded, ragged rows padded) and
// come back as table blocks with the notes of what it repaired.
import { DOMParser } from "../../vendor/prosemirror-model/index.js";
import { schema } from "./schema.js";

const parser = DOMParser.fromSchema(schema);

// Styles are renamed before the HTML is parsed at all: a parsed document
// keeps the page's Content-Security-Policy, which refuses (and reports)
// inline styles. Word's list bullets (spans styled mso-list:Ignore) go.
function withoutStyles(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<span[^>]*mso-list:\s*Ignore[^>]*>[\s\S]*?<\/span>/gi, "")
    .replace(/(<[a-z][^>]*?\s)style\s*=/gi, "$1data-nr-style=");
}

// What a style meant that the schema keeps: bold and italic (Google Docs
// writes them as styled spans, and wraps a whole paste in a <b> styled
// font-weight:normal).
function applyStyles(root) {
  root.querySelectorAll("[data-nr-style]").forEach((node) => {
    const style = node.getAttribute("data-nr-style").toLowerCase();
    node.removeAttribute("data-nr-style");
    const weight = (style.match(/font-weight:\s*([a-z0-9]+)/) || [])[1];
    const bold = weight && /^(bold|bolder|[6-9]00)$/.test(weight);
    if (node.tagName === "B" && weight && !bold) {
      node.replaceWith(...node.childNodes);
      return;
    }
    if (node.tagName !== "SPAN") return;
    let inner = node;
    [[bold, "b"], [/font-style:\s*italic/.test(style), "i"]].forEach(([on, tag]) => {
      if (!on) return;
      const wrapper = node.ownerDocument.createElement(tag);
      wrapper.append(...inner.childNodes);
      inner.append(wrapper);
      inner = wrapper;
    });
  });
}

// Word and LibreOffice: comments, styles, <o:p>, and lists written as
// paragraphs (class MsoListParagraph).
export function cleanPastedHtml(html) {
  const doc = new window.DOMParser().parseFromString(withoutStyles(html), "text/html");
  doc.body.querySelectorAll("script, meta, link, title, xml").forEach((node) => node.remove());
  applyStyles(doc.body);
  let list = null;
  Array.from(doc.body.querySelectorAll("p")).forEach((paragraph) => {
    if (!/MsoListParagraph/.test(paragraph.className)) {
      list = null;
      return;
    }
    if (!list || list.nextElementSibling !== paragraph) {
      list = doc.createElement("ul");
      paragraph.before(list);
    }
    const item = doc.createElement("li");
    item.append(...paragraph.childNodes);
    paragraph.remove();
    list.append(item);
  });
  flattenLists(doc.body);
  return doc.body.innerHTML;
}

// The snapshot's lists are flat: a nested list's items follow their parent.
function flattenLists(root) {
  root.querySelectorAll("li ul, li ol").forEach((nested) => {
    const parentItem = nested.closest("li");
    const items = Array.from(nested.children).filter((child) => child.tagName === "LI");
    nested.remove();
    parentItem.after(...items);
  });
}

// A spreadsheet's cells: tabs between cells, on more than one line or cell.
export function looksLikeCells(text) {
  return /\t/.test(text) && /\S/.test(text);
}

// Ask the server for the tables in `request` ({html} or {text}).
async function readTables(urls, csrfToken, request) {
  const response = await fetch(urls.pasteTable, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify(request),
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((answer.errors || []).map((e) => e.message || e).join(" "));
  return answer.tables || [];
}

function tableElement(doc, found) {
  const holder = doc.createElement("div");
  holder.setAttribute("data-nr-table", JSON.stringify(found.table));
  holder.setAttribute("data-nr-notes", JSON.stringify(found.notes || []));
  return holder;
}

// Paste `html` holding tables: each <table> is replaced by the block the
// server made of it, the rest parsed as usual. Resolves to a Slice.
export async function pasteWithTables(html, config) {
  const doc = new window.DOMParser().parseFromString(cleanPastedHtml(html), "text/html");
  const tables = Array.from(doc.body.querySelectorAll("table")).filter((table) => !table.parentElement.closest("table"));
  const found = await readTables(config.urls, config.csrfToken, {
    html: tables.map((table) => table.outerHTML).join("\n"),
  });
  tables.forEach((table, index) => {
    // The importer may leave out a layout table (one cell): its text stays.
    if (found.length === tables.length) table.replaceWith(tableElement(doc, found[index]));
    else if (index === 0) table.replaceWith(...found.map((each) => tableElement(doc, each)));
  });
  return parser.parseSlice(doc.body);
}

export async function pasteCells(text, config) {
  const found = await readTables(config.urls, config.csrfToken, { text });
  const doc = document.implementation.createHTMLDocument("");
  found.forEach((each) => doc.body.append(tableElement(doc, each)));
  return parser.parseSlice(doc.body);
}
