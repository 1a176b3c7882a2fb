"""Parse HTML with lxml without losing what lies deeper than libxml2 reads.

libxml2's HTML parser stops at 256 open elements and drops the rest of the
document, raising nothing: a legacy page with hundreds of unclosed `<div>`
or `<font>` tags lost every paragraph past that depth, and any table after
them. `huge_tree` only moves the limit to 2,048 (and lifts libxml2's other
guards against memory blow-ups), so it is not used.

`parse` reads as before; only when libxml2 reports the limit is the source
flattened (`flatten`) and read again, so ordinary pages cost nothing more.
Flattening removes the tags of wrappers that open past `FLATTEN_DEPTH`
(`<div>`, `<font>`, `<span>`, `<center>`, `<blockquote>`, lists...) and
never any text: a block wrapper leaves an `<hr>` where each of its tags
was, which the reader takes as the paragraph break the wrapper made.
Elements that carry meaning (table parts, headings, paragraphs, links,
list items) keep their tags up to `STRUCTURE_DEPTH`, and what opens in a
kept table or list up to `CONTENT_DEPTH`; elements left out with their
content (scripts, navigation, hidden or boilerplate containers: see
`page`) always keep theirs, so their text never turns into article text.
A page still too deep after that is refused, never cut short.

To know how deep each element opens, `_Flattener` follows the stack of
open elements libxml2 builds: the end tags it lets a start tag imply
(`CLOSED_BY`) and the end tags it ignores (`END_PRIORITY`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from .document import ImportRefused
from .page import DROPPED, has_boilerplate_attributes
from .stream import RawNote

MAX_DEPTH = 256  # libxml2's limit (XML_PARSE_HUGE would make it 2,048)
FLATTEN_DEPTH = 64  # wrappers opening deeper than this lose their tags
STRUCTURE_DEPTH = 192  # so do all other elements, deeper than this,
CONTENT_DEPTH = 200  # but the rows, cells and items of a table or list kept
ALWAYS = 1 << 30  # a depth never reached

# Elements that keep their tags up to STRUCTURE_DEPTH.
STRUCTURE = frozenset(
    "table caption colgroup thead tbody tfoot tr td th li dt dd "
    "h1 h2 h3 h4 h5 h6 p pre a article main".split()
)
# Containers the reader reads element by element, leaving loose text out:
# what opens straight inside one keeps its tags up to CONTENT_DEPTH.
READ_BY_ELEMENT = frozenset(
    "ul ol dl menu dir table thead tbody tfoot tr colgroup".split()
)
VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input isindex keygen "
    "link meta param source track wbr".split()
)
ROOTS = frozenset({"html", "head", "body"})
# Start tags that close the element open at the top, as libxml2 applies
# them (its table of omitted end tags, less what only concerns <head>).
_P_CLOSERS = frozenset(
    "address blockquote body caption center col colgroup dd dir div dl dt "
    "fieldset form frameset h1 h2 h3 h4 h5 h6 head hr li listing menu ol p pre "
    "table tbody td tfoot th title tr ul xmp".split()
)
_CELL_CLOSERS = frozenset({"td", "th", "tr", "tbody", "tfoot"})
_COLUMN_CLOSERS = frozenset({"col", "colgroup", "thead", "tbody", "tfoot", "tr"})
_BLOCK_IN_LIST = frozenset({"dd", "dl", "dt", "fieldset", "form", "li", "table", "ul"})
CLOSED_BY: dict[str, frozenset[str]] = {
    "p": _P_CLOSERS,
    **{
        f"h{level}": frozenset({"fieldset", "form", "li", "p", "table"})
        for level in range(1, 7)
    },
    "a": frozenset({"a", "fieldset", "table", "td", "th"}),
    "address": frozenset({"dd", "dl", "dt", "form", "li", "ul"}),
    "b": frozenset({"center", "p", "td", "th"}),
    "i": frozenset({"center", "p", "td", "th"}),
    "u": frozenset({"p", "td", "th"}),
    "font": frozenset({"center", "td", "th"}),
    "span": frozenset({"td", "th"}),
    **{tag: frozenset({"p"}) for tag in ("big", "s", "small", "strike", "tt")},
    "caption": _COLUMN_CLOSERS,
    "col": _COLUMN_CLOSERS,
    "colgroup": _COLUMN_CLOSERS - {"col"},
    "td": _CELL_CLOSERS,
    "th": _CELL_CLOSERS,
    "tr": frozenset({"tr", "tbody", "tfoot"}),
    "thead": frozenset({"tbody", "tfoot"}),
    "tbody": frozenset({"tbody", "tfoot"}),
    "tfoot": frozenset({"tbody"}),
    "li": frozenset({"li"}),
    "dt": frozenset({"dd", "dl"}),
    "dd": frozenset({"dt"}),
    "dl": frozenset({"form", "li"}),
    "dir": frozenset({"dd", "dl", "dt", "form", "ul"}),
    "menu": frozenset({"dd", "dl", "dt", "form", "ul"}),
    "ul": frozenset({"address", "form", "menu", "pre"}),
    "ol": frozenset({"form"}),
    "pre": _BLOCK_IN_LIST,
    "listing": _BLOCK_IN_LIST,
    "xmp": _BLOCK_IN_LIST,
    "form": frozenset({"form"}),
    "legend": frozenset({"fieldset"}),
    "option": frozenset({"option", "optgroup"}),
}
# An end tag closes the elements above its own only if none of them ranks
# higher (libxml2 ignores a stray </div> inside a table cell).
END_PRIORITY = {
    "div": 150,
    "td": 160,
    "th": 160,
    "tr": 170,
    "thead": 180,
    "tbody": 180,
    "tfoot": 180,
    "table": 190,
}
BOUNDARY = "<hr>"
_NEWLINE = re.compile("\n")
_ROOT_END_TAG = re.compile(r"</(?:body|html)\b[^>]*>", re.I)


def parse(text: str, *, blocks: frozenset[str]):
    """Return the lxml document of `text` and notes, or None for no document.

    `blocks` are the elements that end a paragraph (their tags, if removed,
    leave a break). Raises ImportRefused when the document is too deeply
    nested to read whole even once flattened.
    """
    # libxml2 puts what follows </body> outside the body, and drops what
    # follows </html>; a browser shows both, in the body.
    text = _ROOT_END_TAG.sub("", text)
    root, limit = _read(text)
    if limit is None:
        return root, []
    if "depth" not in limit:
        raise ImportRefused(_refusal(limit))
    flat, count = flatten(text, blocks=blocks)
    root, limit = _read(flat)
    if limit is not None:
        raise ImportRefused(_refusal(limit))
    return root, [
        RawNote(
            "deep-nesting-flattened",
            "",
            f"The page nested its elements more than {MAX_DEPTH} deep (unclosed "
            f"tags, such as <div> or <font>), deeper than the HTML reader goes: "
            f"{count} wrapper{'s' if count != 1 else ''} past {FLATTEN_DEPTH} "
            "levels lost their tags so that all the text could be read. No text "
            "was removed; check the paragraph breaks and the bold and italic "
            "text after the deep part.",
        )
    ]


# lxml.html's element classes (text_content(), drop_tree()...), looked up in C:
# its own lookup, which picks form and input classes by tag, is Python code run
# for every element the reader touches.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement,
    comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity,
)


def _read(text: str):
    """The document and the message of the resource limit it hit, if any."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        root = None
    for error in parser.error_log:
        # libxml2 stops the whole parse at a resource limit (>= 2.13).
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            return root, error.message.lower()
    return root, None


def _refusal(limit: str) -> str:
    if "depth" in limit:
        return _(
            "The page nests its elements more than %(depth)d deep (tables, lists "
            "or page sections inside one another), too deep to be read in full. "
            "Open it in a browser or an HTML editor and save it again, or import "
            "its text."
        ) % {"depth": MAX_DEPTH}
    return _(
        "The page is too large or too complex for the HTML reader to read in "
        "full (%(limit)s). Save it again without embedded data, or import its "
        "text."
    ) % {"limit": limit.strip()}


def flatten(text: str, *, blocks: frozenset[str]) -> tuple[str, int]:
    """Return `text` with wrappers nested too deep unwrapped, and their count.

    Only tags change: text, comments and the content of scripts, styles
    and the like are left exactly as they were.
    """
    flattener = _Flattener(text, blocks)
    flattener.feed(text)
    flattener.close()
    return flattener.result(), flattener.count


class _Entry:
    __slots__ = ("tag", "kept", "depth")

    def __init__(self, tag: str, kept: bool, depth: int):
        self.tag = tag
        self.kept = kept
        self.depth = depth  # open elements libxml2 counts, this one included


class _Flattener(HTMLParser):
    """Follow libxml2's stack of open elements through the tags; unwrap deep ones.

    The stack is the one libxml2 builds from the rewritten text, plus the
    removed elements (not kept), there only so that their end tags are
    found. Positions of the kept ones, of each tag and of those an end tag
    cannot close past are indexed, so that thousands of removed elements
    cost no more to step over than a few.
    """

    # Elements whose content libxml2 reads as text, not markup.
    CDATA_CONTENT_ELEMENTS = (
        "script", "style", "title", "textarea", "xmp", "iframe", "noembed",
        "noframes", "plaintext",
    )  # fmt: skip

    def __init__(self, text: str, blocks: frozenset[str]):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.blocks = blocks
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        self.stack: list[_Entry] = []
        self.kept: list[int] = []  # indices in the stack
        # Indices of the elements of each END_PRIORITY, removed ones too.
        self.ranked: dict[int, list[int]] = {
            priority: [] for priority in set(END_PRIORITY.values())
        }
        self.places: dict[str, list[int]] = {}
        self.edits: list[tuple[int, int, str]] = []
        self.count = 0

    def result(self) -> str:
        parts, position = [], 0
        for start, end, replacement in self.edits:
            parts.append(self.text[position:start])
            parts.append(replacement)
            position = end
        parts.append(self.text[position:])
        return "".join(parts)

    def handle_startendtag(self, tag, attrs):
        # libxml2 reads <div/> as an empty element: it closes what <div>
        # would, and nothing stays open.
        self._cut(self._closing(tag))

    def handle_starttag(self, tag, attrs):
        if tag in ROOTS or tag in VOID:
            self._cut(self._closing(tag))
            return
        cut = self._closing(tag)
        if self._depth(cut) < self._limit(tag, attrs, self._parent(cut)):
            self._cut(cut)
            self._push(tag, kept=True)
            return
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        block = tag in self.blocks
        self.edits.append((start, end, BOUNDARY if block else ""))
        self.count += 1
        if block:
            self._cut(self._closing("hr"))
        self._push(tag, kept=False)

    def handle_endtag(self, tag):
        if tag in ROOTS or tag in VOID:
            return  # </body> and </html> are gone (see `parse`)
        index = self._match(tag)
        if index is None:
            if self.places.get(tag):
                # Ignored in the source, where a removed element stood in
                # the way: libxml2 must not close an element of that name
                # further down now.
                self._replace("")
            return
        entry = self.stack[index]
        above = [self.stack[i].tag for i in self.kept[bisect_right(self.kept, index) :]]
        self._cut(index)
        if entry.kept:
            return
        # Close what the end tag closed, now that it is gone.
        closers = "".join(f"</{name}>" for name in reversed(above))
        boundary = BOUNDARY if entry.tag in self.blocks else ""
        self._replace(closers + boundary)
        if boundary:
            self._cut(self._closing("hr"))

    def _replace(self, replacement: str) -> None:
        """Replace the end tag being read."""
        start = self._offset()
        end = self.text.index(">", start + 2) + 1
        self.edits.append((start, end, replacement))

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _limit(self, tag: str, attrs, parent: str | None) -> int:
        """How deep an element may open and keep its tags."""
        # Never unwrapped: their content must go with them.
        if tag in DROPPED or tag in self.CDATA_CONTENT_ELEMENTS:
            return ALWAYS
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")
        if has_boilerplate_attributes(tag, attributes):
            return ALWAYS
        if parent in READ_BY_ELEMENT:
            return CONTENT_DEPTH
        return STRUCTURE_DEPTH if tag in STRUCTURE else FLATTEN_DEPTH

    def _parent(self, cut: int) -> str | None:
        """The element an element opening with the stack cut at `cut` goes in."""
        for index in reversed(self.kept):
            if index < cut:
                return self.stack[index].tag
        return None

    def _depth(self, cut: int) -> int:
        """The open elements libxml2 counts once the stack is cut at `cut`."""
        if cut == 0:
            return 2  # <html> and <body>
        return self.stack[cut - 1].depth

    def _closing(self, tag: str) -> int:
        """Where the stack is cut when `tag` opens (its length: nowhere).

        libxml2 never sees the removed elements: it looks past them, and
        they go with the element that it closes.
        """
        cut = len(self.stack)
        for index in reversed(self.kept):
            if tag not in CLOSED_BY.get(self.stack[index].tag, ()):
                break
            cut = index
        return cut

    def _match(self, tag: str) -> int | None:
        """Where the element an end tag closes is, or None if it closes none.

        As in the source: removed elements rank as they did there.
        """
        places = self.places.get(tag)
        if not places:
            return None
        index, priority = places[-1], END_PRIORITY.get(tag, 100)
        for rank, indices in self.ranked.items():
            if rank > priority and indices and indices[-1] > index:
                return None
        return index

    def _push(self, tag: str, *, kept: bool) -> None:
        index = len(self.stack)
        self.stack.append(_Entry(tag, kept, self._depth(index) + kept))
        self.places.setdefault(tag, []).append(index)
        if kept:
            self.kept.append(index)
        if tag in END_PRIORITY:
            self.ranked[END_PRIORITY[tag]].append(index)

    def _cut(self, index: int) -> None:
        while len(self.stack) > index:
            entry = self.stack.pop()
            self.places[entry.tag].pop()
            if entry.kept:
                self.kept.pop()
            if entry.tag in END_PRIORITY:
                self.ranked[END_PRIORITY[entry.tag]].pop()
