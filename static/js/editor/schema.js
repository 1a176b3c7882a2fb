// The document the editor holds: the article body as one flow of blocks.
//
// It maps one to one onto the snapshot schema (articles/snapshot.py): a
// heading starts a section, paragraphs and list items hold inline text (bold,
// italic, links: the server's allow-list, articles/sanitize.py), and a table
// is one atom node whose `data` is the snapshot's table block, edited by the
// grid (table-view.js). Headings are plain text, as section headings are.
import { Schema } from "../../vendor/prosemirror-model/index.js";

export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: {
      group: "block",
      content: "inline*",
      parseDOM: [{ tag: "p" }],
      toDOM: () => ["p", 0],
    },
    heading: {
      group: "block",
      content: "text*",
      marks: "",
      defining: true,
      // The section's anchor, kept so that links to it keep working.
      attrs: { anchor: { default: "" } },
      parseDOM: ["h1", "h2", "h3", "h4", "h5", "h6"].map((tag) => ({
        tag,
        getAttrs: (node) => ({ anchor: node.getAttribute("data-anchor") || "" }),
      })),
      toDOM: (node) => ["h2", { "data-anchor": node.attrs.anchor }, 0],
    },
    bullet_list: {
      group: "block",
      content: "list_item+",
      parseDOM: [{ tag: "ul" }],
      toDOM: () => ["ul", 0],
    },
    ordered_list: {
      group: "block",
      content: "list_item+",
      parseDOM: [{ tag: "ol" }],
      toDOM: () => ["ol", 0],
    },
    list_item: {
      content: "paragraph",
      defining: true,
      parseDOM: [{ tag: "li" }],
      toDOM: () => ["li", 0],
    },
    table: {
      group: "block",
      atom: true,
      selectable: true,
      draggable: true,
      // `data`: the snapshot's table block (caption, source, columns, rows),
      // all that is posted. `notes`: what the importer or the paste repaired;
      // `problems`: the server's refusals of its cells. Shown, never posted.
      attrs: { data: { default: null }, notes: { default: null }, problems: { default: null } },
      parseDOM: [
        {
          tag: "div[data-nr-table]",
          getAttrs: (node) => {
            try {
              const notes = node.getAttribute("data-nr-notes");
              return {
                data: JSON.parse(node.getAttribute("data-nr-table")),
                notes: notes ? JSON.parse(notes) : null,
              };
            } catch (error) {
              return false;
            }
          },
        },
      ],
      toDOM: (node) => ["div", { "data-nr-table": JSON.stringify(node.attrs.data) }],
    },
    text: { group: "inline" },
  },
  marks: {
    link: {
      attrs: { href: {}, title: { default: null } },
      inclusive: false,
      parseDOM: [
        {
          tag: "a[href]",
          getAttrs: (node) => ({
            href: node.getAttribute("href"),
            title: node.getAttribute("title"),
          }),
        },
      ],
      toDOM: (mark) => ["a", { href: mark.attrs.href, title: mark.attrs.title }, 0],
    },
    strong: {
      // Pasted styles are made <b> and <i> first (paste.js).
      parseDOM: [{ tag: "strong" }, { tag: "b" }],
      toDOM: () => ["b", 0],
    },
    em: {
      parseDOM: [{ tag: "i" }, { tag: "em" }],
      toDOM: () => ["i", 0],
    },
  },
});
