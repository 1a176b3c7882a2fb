// Between the editor's document and the snapshot's sections (articles/snapshot.py).
//
// toSections(doc) is what the editor posts; fromSections(sections) what it
// opens. Both record where each posted block is in the document, so that the
// server's errors (which name a section and a block) find their place.
import { DOMParser, DOMSerializer, Fragment } from "../../vendor/prosemirror-model/index.js";
import { groupLabels, groupRuns } from "../grid/table-ops.js";
import { schema } from "./schema.js";

const parser = DOMParser.fromSchema(schema);
const serializer = DOMSerializer.fromSchema(schema);

// Inline HTML as the server stored it (already cleaned to its allow-list),
// read in an inert <template>: nothing in it runs or loads.
function inlineContent(html) {
  const template = document.createElement("template");
  template.innerHTML = "<p>" + (html || "") + "</p>";
  const paragraph = template.content.firstChild;
  return parser.parse(paragraph, { topNode: schema.nodes.paragraph.create() }).content;
}

function inlineHtml(node) {
  const holder = document.createElement("div");
  holder.appendChild(serializer.serializeFragment(node.content));
  return holder.innerHTML.replace(/\s+/g, " ").trim();
}

export function fromSections(sections) {
  const nodes = [];
  const places = []; // places[section][block] = the block's index in the doc
  (sections || []).forEach((section, s) => {
    places[s] = [];
    if (section.heading || s > 0) {
      nodes.push(
        schema.nodes.heading.create(
          { anchor: section.anchor || "" },
          section.heading ? schema.text(section.heading) : null,
        ),
      );
    }
    (section.blocks || []).forEach((block, b) => {
      places[s][b] = nodes.length;
      nodes.push(blockNode(block));
    });
  });
  if (!nodes.length) nodes.push(schema.nodes.paragraph.create());
  return { doc: schema.nodes.doc.create(null, Fragment.from(nodes)), places };
}

function blockNode(block) {
  if (block.type === "list") {
    const type = block.ordered ? schema.nodes.ordered_list : schema.nodes.bullet_list;
    const items = (block.items || []).map((item) =>
      schema.nodes.list_item.create(null, schema.nodes.paragraph.create(null, inlineContent(item))),
    );
    return type.create(null, items.length ? items : [emptyItem()]);
  }
  if (block.type === "table") return schema.nodes.table.create({ data: block });
  return schema.nodes.paragraph.create(null, inlineContent(block.html));
}

function emptyItem() {
  return schema.nodes.list_item.create(null, schema.nodes.paragraph.create());
}

// Empty paragraphs and list items are where the cursor was, not content.
export function toSections(doc) {
  const sections = [{ heading: "", anchor: "", blocks: [] }];
  const places = [[]]; // places[section][block] = the block's index in the doc
  doc.forEach((node, offset, index) => {
    let section = sections[sections.length - 1];
    if (node.type === schema.nodes.heading) {
      sections.push({ heading: node.textContent.trim(), anchor: node.attrs.anchor, blocks: [] });
      places.push([]);
      return;
    }
    const block = snapshotBlock(node);
    if (block) {
      places[places.length - 1].push(index);
      section.blocks.push(block);
    }
  });
  // A body that opens with a heading has no lede.
  if (!sections[0].blocks.length && sections.length > 1) {
    sections.shift();
    places.shift();
  }
  return { sections, places };
}

// A document's unchanged blocks are the same node objects from one state to
// the next: each is converted once, not on every copy while typing.
const converted = new WeakMap();

function snapshotBlock(node) {
  if (!converted.has(node)) converted.set(node, convertBlock(node));
  return converted.get(node);
}

function convertBlock(node) {
  if (node.type === schema.nodes.paragraph) {
    const html = inlineHtml(node);
    return node.textContent.trim() ? { type: "paragraph", html } : null;
  }
  if (node.type === schema.nodes.bullet_list || node.type === schema.nodes.ordered_list) {
    const items = [];
    node.forEach((item) => {
      if (item.textContent.trim()) items.push(inlineHtml(item.firstChild));
    });
    if (!items.length) return null;
    return { type: "list", ordered: node.type === schema.nodes.ordered_list, items };
  }
  if (node.type === schema.nodes.table) return withoutEmptyLines(node.attrs.data);
  return null;
}

// A grid's spare rows, and columns with neither a label nor a value, are
// where nothing was typed yet: not posted (as the old form did).
// A column under a group is kept: its group says something.
function withoutEmptyLines(table) {
  const blank = (cell) => !String(cell ?? "").trim();
  const columns = table.columns || [];
  const groups = groupLabels(table.groups, columns.length);
  const rows = (table.rows || []).filter((row) => !row.every(blank));
  const kept = columns
    .map((column, c) =>
      blank(column.label) && blank(groups[c]) && rows.every((row) => blank(row[c])) ? -1 : c,
    )
    .filter((c) => c !== -1);
  if (kept.length === columns.length && rows.length === (table.rows || []).length) return table;
  // The chart names columns by index: they follow their columns.
  const moved = (c) => (kept.indexOf(c) === -1 ? c : kept.indexOf(c));
  const chart = {};
  if (typeof table.chart_category === "number") chart.chart_category = moved(table.chart_category);
  if (Array.isArray(table.chart_series)) chart.chart_series = table.chart_series.map(moved);
  return Object.assign({}, table, chart, {
    columns: kept.map((c) => columns[c]),
    groups: groupRuns(kept.map((c) => groups[c])),
    rows: rows.map((row) => kept.map((c) => row[c] ?? "")),
  });
}

// The document position of a top-level block, by its index in the doc.
export function positionOf(doc, index) {
  let position = 0;
  for (let i = 0; i < index && i < doc.childCount; i++) position += doc.child(i).nodeSize;
  return position;
}
