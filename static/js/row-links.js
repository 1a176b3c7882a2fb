// Reader tables (templates/articles/tables/content_table.html): a "#" link
// at the start of each row to the row itself (its id, `table-1-row-3`), so
// that a reader can copy a row's address. The server sends the rows' ids
// only, not a link per row (a long article would carry thousands); the
// link's label comes from the server, translated, in the <tbody>'s
// data-row-link. Without this script every row is still linkable by its id
// (the "Share / embed" control says how).

export function addRowLinks(tbody, doc = document) {
  const label = tbody.dataset.rowLink;
  for (const row of tbody.rows) {
    const cell = row.cells[0];
    if (!row.id || !cell || cell.querySelector(":scope > .row-link")) continue;
    const link = doc.createElement("a");
    link.className = "row-link";
    link.href = `#${row.id}`;
    link.setAttribute("aria-label", `${label} ${row.id.slice(row.id.lastIndexOf("-") + 1)}`);
    cell.prepend(link);
  }
}

for (const tbody of document.querySelectorAll("tbody[data-row-link]")) {
  addRowLinks(tbody);
}
