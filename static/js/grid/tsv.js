// Text copied from a spreadsheet (Excel, LibreOffice, Google Sheets): cells
// separated by tabs, one row per line. Pure functions, no DOM: tested by
// tests/tsv.test.mjs under `node --test`.

// The index of the tab or line break that ends the unquoted cell at `from`,
// or the length of the text.
export function endOfCell(source, from) {
  for (let i = from; i < source.length; i++) {
    const ch = source.charAt(i);
    if (ch === "\t" || ch === "\n" || ch === "\r") return i;
  }
  return source.length;
}

// The quoted cell starting at `from` (a quote): [its value, the index after
// its closing quote], or null when it is not quoted after all, because it
// never closes or text follows its closing quote before the cell ends.
function quotedCell(source, from) {
  let value = "";
  let j = from + 1;
  while (j < source.length) {
    const ch = source.charAt(j);
    if (ch === '"') {
      if (source.charAt(j + 1) === '"') {
        value += '"';
        j += 2;
        continue;
      }
      j += 1;
      const next = source.charAt(j);
      return j >= source.length || next === "\t" || next === "\r" || next === "\n"
        ? [value, j]
        : null;
    }
    value += ch;
    j += 1;
  }
  return null;
}

// The rows of cells in `source`. A line ends at \r\n or \n (or \r alone). A
// cell starting with a quote is quoted when its closing quote ends the cell:
// it may then hold tabs, line breaks and doubled "" quotes. Otherwise the
// quote is text. The line break after the last row does not start another
// row. Rows keep the number of cells they have (they may differ).
export function parseSheetText(source) {
  const rows = [];
  const n = source.length;
  if (!n) return rows;
  let row = [];
  let i = 0;
  for (;;) {
    const quoted = source.charAt(i) === '"' ? quotedCell(source, i) : null;
    let cell;
    if (quoted) {
      [cell, i] = quoted;
    } else {
      const end = endOfCell(source, i);
      cell = source.slice(i, end);
      i = end;
    }
    row.push(cell);
    if (i >= n) {
      rows.push(row);
      break;
    }
    if (source.charAt(i) === "\t") {
      i += 1;
      continue;
    }
    i += source.charAt(i) === "\r" && source.charAt(i + 1) === "\n" ? 2 : 1;
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
}

// A cell holds one line: the server refuses line breaks inside a cell, so
// tabs and line breaks (and the spaces round them) become one space.
export function oneLine(value) {
  return value.replace(/\s*[\t\r\n]+\s*/g, " ");
}

// Whether parsed rows are a block of cells rather than one value (which the
// grid types into a cell as text, like any other paste).
export function isBlock(rows) {
  return rows.length > 1 || (rows.length === 1 && rows[0].length > 1);
}

// The number of cells in the longest of the rows.
export function blockWidth(rows) {
  return rows.reduce((widest, cells) => Math.max(widest, cells.length), 0);
}
