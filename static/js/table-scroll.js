// Reader tables (templates/articles/tables/content_table.html): a shadow at
// each edge of a table's scroll region where there is more of the table to
// scroll to, so that a table wider than a phone shows that it scrolls
// (site.css, .table-frame.more-start / .more-end). Without this script the
// table still scrolls; only the hint is missing.

const SLACK = 2; // px: rounding of fractional widths

function update(region) {
  const frame = region.parentElement;
  const hidden = region.scrollWidth - region.clientWidth;
  // Negative in right-to-left pages; its size is what has been scrolled.
  const scrolled = Math.abs(region.scrollLeft);
  frame.classList.toggle("more-start", hidden > SLACK && scrolled > SLACK);
  frame.classList.toggle("more-end", hidden > SLACK && scrolled < hidden - SLACK);
}

const resized = "ResizeObserver" in window
  ? new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)))
  : null;

for (const region of document.querySelectorAll(".table-frame > .table-scroll")) {
  region.addEventListener("scroll", () => update(region), { passive: true });
  if (resized) resized.observe(region);
  update(region);
}
