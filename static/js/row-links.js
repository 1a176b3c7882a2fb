// Reader tables (templates/articles/tables/content_table.html): each row is
// linkable by its id (`table-1-row-3`, its position in the table as stored),
// and a "#" link at its start lets a reader copy its address. The server
// sends neither a link per row (a long article would carry thousands) nor,
// for rows in their stored order, their ids: they are numbered here from the
// <tbody>'s data-first-row. Sorted or filtered rows come with their ids. The
// links' label comes from the server, translated, in data-row-link.

export function addRowIds(tbody, anchor) {
  let position = Number(tbody.dataset.firstRow);
  if (!position || !anchor) return;
  for (const row of tbody.rows) {
    if (!row.id) row.id = `${anchor}-row-${position}`;
    position += 1;
  }
}

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
  addRowIds(tbody, tbody.closest("figure[id]")?.id);
  addRowLinks(tbody);
}

// An address naming a row (…#table-1-row-3) came before the row had its id:
// go to it now, as the browser would have (scrolled to, and :target).
const wanted = decodeURIComponent(location.hash.slice(1));
if (wanted && !document.querySelector(":target") && document.getElementById(wanted)) {
  location.replace(location.hash);
}
