// A table's chart names its columns by index (the snapshot's chart_category
// and chart_series). When the grid inserts, moves or deletes columns, the
// chart follows the columns it named: each is found again by its label
// (when that label is unique), or stays where it was when only a label was
// typed over; a column that is gone leaves the chart.

function follow(before, after, index) {
  if (typeof index !== "number" || index < 0 || index >= before.length) return index;
  const old = before[index];
  const label = String(old.label ?? "").trim();
  const same = after[index];
  if (same && String(same.label ?? "").trim() === label && same.kind === old.kind) return index;
  if (label) {
    const found = after
      .map((column, position) => (String(column.label ?? "").trim() === label ? position : -1))
      .filter((position) => position !== -1);
    if (found.length === 1) return found[0];
  }
  return before.length === after.length ? index : null;
}

// The chart keys of `table` (before) for the columns `after`: an object with
// chart_category and chart_series, or {} when the table has no chart.
export function followColumns(table, after) {
  if (!table.chart) return {};
  const before = table.columns || [];
  const category = table.chart_category ?? null;
  const series = [];
  (table.chart_series || []).forEach((index) => {
    const moved = follow(before, after, index);
    if (moved !== null && !series.includes(moved)) series.push(moved);
  });
  return {
    chart_category: category === null ? null : follow(before, after, category),
    chart_series: series,
  };
}
