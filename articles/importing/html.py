"""Read an HTML document or fragment (lxml) into the block stream.

The source is parsed by `nesting.parse`, which reads past libxml2's depth
limit (flattening, noted) and what follows `</body>`. A full page is cut
down to its article and its chrome left out (see `page`). The title is the
article's first `<h1>`, else the page's, else `og:title`, else `<title>`.
Block elements give headings, paragraphs (`<br><br>` also ends one), lists
(nested ones flattened) and tables; inline elements stay as markup for the
sanitiser.

Cells are read by their elements: a cell holding several paragraphs or a
list is flattened to one line, a table inside a cell to text. A cell of the
last row holding a heading and paragraphs kept what followed the table: that
is split back out, after the table (`html_table`). Spans are expanded into a
rectangular grid.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from lxml import html as lxml_html

from . import nesting
from .grid import Cell, is_layout, table_rows
from .html_table import (
    joined_html,
    layout_note,
    read_table,
    row_cells,
    run_on_start,
)
from .page import (
    LEFT_OUT_TAG,
    content_root,
    first_outside_boilerplate,
    leave_out_page_parts,
    strip_boilerplate,
)
from .stream import (
    Marker,
    RawBlock,
    RawHeading,
    RawList,
    RawNote,
    RawParagraph,
    dedupe,
    list_item_blocks,
)
from .title import heading_text, is_navigation_heading, metadata_titles

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr "
    "html li main menu nav ol p pre section summary table tbody td tfoot th thead "
    "tr ul caption colgroup col".split()
)
LONG_CELL_TEXT = 300  # characters: a cell of several paragraphs this long is text


@dataclass
class Page:
    """What the reader found: the blocks, and title candidates best first."""

    stream: list[RawBlock]
    titles: list[str] = field(default_factory=list)
    notes: list[RawNote] = field(default_factory=list)  # about the whole document


def read(text: str) -> Page:
    """Read a whole HTML document (or a fragment) into blocks and title candidates.

    Raises ImportRefused when it is nested too deeply to read whole (see
    `nesting`).
    """
    root, notes = nesting.parse(text, blocks=BLOCK_TAGS)
    if root is None:
        return Page([], notes=notes)
    titles = metadata_titles(root)
    body = root.find("body")
    if body is None:
        body = root
    content = content_root(body, titles)
    heading = content.find(".//h1")
    if heading is None:
        heading = first_outside_boilerplate(body, "h1")
    if heading is not None and titles and _in_page_header(heading):
        heading = None  # most likely the site's name: og:title or <title> is better
    if heading is not None:
        title = heading_text(heading)
        if title and not is_navigation_heading(title):
            titles.insert(0, title)
            heading.drop_tree()  # keeps its tail text
    strip_boilerplate(content)
    left_out = leave_out_page_parts(content)
    stream: list[RawBlock] = []
    _Reader(left_out).read(content, stream)
    return Page(stream, titles, notes)


def _in_page_header(element) -> bool:
    """Whether an element is in the page's <header>, not an article's."""
    ancestors = {ancestor.tag for ancestor in element.iterancestors()}
    return "header" in ancestors and not ancestors & {"article", "main"}


def read_fragment(text: str) -> tuple[list[RawBlock], list[RawNote]]:
    """Read a piece of HTML met inside markdown; headings stay headings.

    Returns the blocks and the notes on reading it (see `nesting`).
    """
    if not text.strip():
        return [], []
    root, notes = nesting.parse(text, blocks=BLOCK_TAGS)
    body = root.find("body") if root is not None else None
    if body is None:
        return [], notes
    strip_boilerplate(body)
    stream: list[RawBlock] = []
    _Reader().read(body, stream)
    return stream, notes


def read_cell(fragment: str) -> tuple[Cell, list[RawNote]]:
    """Read inline HTML holding blocks (a list, paragraphs, `<br>`) as an HTML
    table's cell is read: joined into one line, a list's items by "; ".

    Returns the cell and the notes on reading it (see `nesting`).
    """
    root, notes = nesting.parse(fragment, blocks=BLOCK_TAGS)
    body = root.find("body") if root is not None else None
    if body is None:
        return Cell(""), notes
    reader = _Reader()
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return reader.cell(body), notes


def _has_block(element) -> bool:
    if not len(element):
        return False
    return any(
        isinstance(descendant.tag, str) and descendant.tag in BLOCK_TAGS
        for descendant in element.iterdescendants()
    )


def _text_paragraph(text: str | None) -> RawParagraph | None:
    """The paragraph of a block element holding only text, as `_Reader.container`
    reads it (a shortcut for the commonest block); None for no text."""
    if not text or text.isspace():
        return None
    return RawParagraph(html.escape(text, quote=False), length=len(text))


class _Run:
    """Inline content gathered until the next block: becomes one paragraph."""

    __slots__ = ("parts", "length", "content", "last_break")

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.content = False
        self.last_break = False

    def text(self, text: str | None) -> None:
        if not text:
            return
        if text.isspace():  # most often the line break between two blocks
            self.parts.append(text)  # (nothing to escape)
            return
        self.parts.append(html.escape(text, quote=False))
        self.length += len(text)
        self.content = True
        self.last_break = False

    def element(self, element) -> None:
        self.parts.append(
            lxml_html.tostring(element, encoding="unicode", with_tail=False)
        )
        # (An element holding only text: its text, not lxml's XPath for it.)
        self.length += len(
            element.text_content() if len(element) else element.text or ""
        )
        self.content = True
        self.last_break = False


class _Reader:
    def __init__(self, left_out: list[RawNote] | None = None):
        self.left_out = left_out or []  # notes for the placeholders of `page`

    def read(self, root, out: list[RawBlock]) -> None:
        """Append the blocks of the content under `root` to `out`."""
        for br in root.iter("br"):
            # Sanitising drops <br>: keep the break between the words it parted.
            br.tail = "\n" + (br.tail or "")
        self.container(root, out)

    def container(self, element, out: list[RawBlock], cell: Cell | None = None) -> None:
        """Append the blocks of `element`'s content to `out`."""
        run = _Run()
        run.text(element.text)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                run.text(child.tail)
                continue
            if tag == "br":
                if run.last_break:  # <br><br> separates paragraphs
                    run = self._flush(run, out)
                else:
                    run.parts.append(" ")
                    run.last_break = True
            elif tag in HEADINGS or tag == LEFT_OUT_TAG:
                run = self._flush(run, out)
                out.append(self._heading(child))
            elif tag in ("ul", "ol", "menu", "dir"):
                run = self._flush(run, out)
                self.list(child, out)
            elif tag == "table":
                run = self._flush(run, out)
                if cell is not None:
                    cell.nested = True
                    out.append(RawParagraph(self.flatten_table(child)))
                else:
                    self.table(child, out)
            elif tag == "pre":
                run = self._flush(run, out)
                out.append(RawParagraph(html.escape(child.text_content(), quote=False)))
            elif tag == "hr":
                run = self._flush(run, out)
            elif tag in BLOCK_TAGS or _has_block(child):
                run = self._flush(run, out)
                self.block(child, out, cell)
            else:
                run.element(child)
            run.text(child.tail)
        self._flush(run, out)

    def block(self, element, out: list[RawBlock], cell: Cell | None) -> None:
        """Append the blocks of a block element that is no heading, list or table."""
        if len(element):
            self.container(element, out, cell)
        elif paragraph := _text_paragraph(element.text):  # most paragraphs
            out.append(paragraph)

    def _heading(self, element) -> RawBlock:
        """A heading, or the note on a part of the page `page` left out there."""
        if element.tag == LEFT_OUT_TAG:
            return Marker("note", [self.left_out[int(element.get("note"))]])
        return RawHeading(HEADINGS[element.tag], self._inline(element))

    @staticmethod
    def _flush(run: _Run, out: list[RawBlock]) -> _Run:
        if run.content:
            out.append(RawParagraph("".join(run.parts), length=run.length))
        return _Run()

    def _inline(self, element) -> str:
        """The inline HTML of an element's content (block structure flattened)."""
        if not len(element):
            return html.escape(element.text or "", quote=False)
        blocks: list[RawBlock] = []
        self.container(element, blocks)
        return joined_html(blocks)

    def list(self, element, out: list[RawBlock]) -> None:
        items: list[str] = []
        after: list[RawBlock] = []
        notes: list[RawNote] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in ("ul", "ol"):  # a list straight inside a list
                nested: list[RawBlock] = []
                self.list(child, nested)
                list_item_blocks(nested, items, after, notes)
                continue
            if not len(child):  # an item of text only, as most are
                if paragraph := _text_paragraph(child.text):
                    items.append(paragraph.html)
                continue
            blocks: list[RawBlock] = []
            self.container(child, blocks)
            item = [b for b in blocks if isinstance(b, RawParagraph | RawHeading)]
            if item:
                items.append(" ".join(block.html for block in item))
            list_item_blocks(
                [b for b in blocks if not isinstance(b, RawParagraph | RawHeading)],
                items,
                after,
                notes,
            )
        out.append(RawList(element.tag == "ol", items, dedupe(notes)))
        out.extend(after)

    def flatten_table(self, table) -> str:
        """A nested table as one line: cells joined by ', ', rows by '; '."""
        rows = []
        for tr in table_rows(table):
            cells = [self.cell(cell).html for cell in tr if cell.tag in ("td", "th")]
            cells = [cell for cell in cells if cell.strip()]
            if cells:
                rows.append(", ".join(cells))
        return "; ".join(rows)

    def cell(self, element) -> Cell:
        """Read a cell: its blocks joined into one line of inline HTML.

        A cell holding a heading and paragraphs after it, or paragraphs over
        LONG_CELL_TEXT, keeps its blocks in `split` too: `html_table` moves
        them out of a last row when they read as text that followed the table.
        """
        if not len(element):
            return Cell(html.escape(element.text or "", quote=False))
        cell = Cell("")
        blocks: list[RawBlock] = []
        self.container(element, blocks, cell)
        paragraphs = [b for b in blocks if isinstance(b, RawParagraph)]
        long_text = (
            len(paragraphs) >= 2
            and sum(b.length for b in paragraphs) > LONG_CELL_TEXT
            and not cell.nested
        )
        if long_text or run_on_start(blocks) is not None:
            cell.split = blocks
        cell.html = joined_html(blocks)
        cell.flattened = len(blocks) > 1 or any(isinstance(b, RawList) for b in blocks)
        return cell

    def table(self, element, out: list[RawBlock]) -> None:
        """Append a data table, or the text of a table that only lays out the page.

        A data table is followed by what its cells held beyond a value (see
        `html_table`).
        """
        rows = table_rows(element)
        if not is_layout(element, rows):
            out.extend(read_table(element, rows, self.cell))
            return
        out.append(Marker("note", [layout_note()]))
        caption = element.find("caption")
        if caption is not None:
            self.container(caption, out)
        for tr in rows:
            for cell in row_cells(tr):
                self.container(cell, out)
