"""Reading plain text for structure it lost: sentences, headings, paragraphs.

Legacy text often lost its markup: headings became plain lines, and text that
followed a table ended up in its last cell with the heading and paragraph
breaks gone. These heuristics, all on plain text (never on markup), get the
structure back; every guess they make is noted by the caller.
"""

from __future__ import annotations

import html
import re
from itertools import islice, pairwise

from . import nesting

# Function words that title case leaves in lower case.
SMALL_WORDS = frozenset(
    "a an the and but or nor for of in on at to by with within without from into "
    "onto upon over under via vs as per amid among between against about after "
    "before during through toward towards across versus than".split()
)
# Words that open a sentence continuing the one before it (so no paragraph
# break goes before them).
CONTINUING_WORDS = frozenset(
    "additionally also furthermore moreover this these that those such it its "
    "they their them he she his her however but and yet so still likewise "
    "similarly consequently therefore thus hence instead otherwise nevertheless "
    "nonetheless accordingly here there".split()
)
CONTINUING_PHRASES = (
    "to this end", "in addition", "as a result", "for example", "for instance",
    "on the other hand", "at the same time", "in turn", "in particular",
)  # fmt: skip
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st no nos vol vs e.g i.e eg ie gen col lt sgt capt "
    "gov sen rep inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec "
    "approx fig u.s u.k u.n a.m p.m mt ft cf al dept est rev hon pres sec".split()
)
OPENING = "\"'“‘«([¿¡"
CLOSING = "\"'”’»)]"
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_WORD = re.compile(r"\S+")

PARAGRAPH_LENGTH = 350  # characters after which a paragraph may end
PARAGRAPH_MAX = 900  # characters after which a paragraph ends anyway
HEADING_MAX = 150


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of `text`, ends without spaces.

    A sentence ends at ., ! or ? (with any closing quote or bracket) followed
    by a space and a capital letter or digit, unless the word before is a
    known abbreviation or a single letter (an initial).
    """
    spans, start = [], 0
    while start < len(text) and text[start].isspace():
        start += 1
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 2].lstrip(OPENING)[:1]
        if not following or not (following.isupper() or following.isdigit()):
            continue
        before = text[start : match.start()].rsplit(None, 1)
        word = before[-1].lstrip(OPENING).lower() if before else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        start = match.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def continues_previous(sentence: str) -> bool:
    """Whether the sentence opens by referring back to the one before it."""
    lowered = sentence.lstrip(OPENING).lower()
    if lowered.startswith(CONTINUING_PHRASES):
        return True
    first = lowered.split(None, 1)[:1]
    return bool(first) and first[0].strip(",;:") in CONTINUING_WORDS


def group_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group sentences into paragraphs; return (start, end) of each paragraph.

    The rule: a paragraph ends before a sentence once it is PARAGRAPH_LENGTH
    characters long, unless that sentence continues the one before it
    ("Additionally", "This", "Furthermore"...), and ends anyway past
    PARAGRAPH_MAX. A sentence ending in a colon introduces what follows, so
    it ends its paragraph, on its own if the paragraph was already long.
    """
    groups: list[tuple[int, int]] = []
    current: list[tuple[int, int]] = []
    length = 0
    for start, end in spans:
        sentence = text[start:end]
        introduces = sentence.endswith(":")
        if current and (
            length >= PARAGRAPH_MAX
            or (
                length >= PARAGRAPH_LENGTH
                and (introduces or not continues_previous(sentence))
            )
        ):
            groups.append((current[0][0], current[-1][1]))
            current, length = [], 0
        current.append((start, end))
        length += end - start
        if introduces:
            groups.append((current[0][0], current[-1][1]))
            current, length = [], 0
    if current:
        groups.append((current[0][0], current[-1][1]))
    return groups


def _core(token: str) -> str:
    return token.strip(OPENING + CLOSING + ",")


def _is_small(core: str) -> bool:
    return core.lower() in SMALL_WORDS


def _capitalised(core: str) -> bool:
    first = core[:1]
    return bool(first) and (first.isupper() or first.isdigit() or not first.isalpha())


def leading_heading(text: str) -> tuple[str, int] | None:
    """Find a heading run into the first sentence: return it and where text starts.

    The heading is the leading run of title-case words (capitalised words,
    with lower-case function words between them). The sentence that follows
    starts at the run's last capitalised word, or earlier at a capitalised
    function word ("The", "In"...), which title case would not capitalise. A
    heading needs two words at least and at most HEADING_MAX characters.
    """
    tokens = [match.span() for match in islice(_WORD.finditer(text), 40)]
    run = 0
    for start, end in tokens:
        core = _core(text[start:end])
        if core[-1:] in (".", "!", "?", ";", ":", "…"):
            break
        if not core or (_is_small(core) and core[:1].islower()) or _capitalised(core):
            run += 1
            continue
        break
    if (
        run < 3
        or run == len(tokens)
        or not _capitalised(_core(text[slice(*tokens[0])]))
    ):
        return None
    words = [_core(text[start:end]) for start, end in tokens[:run]]
    opening = None
    for j in range(run - 1, 0, -1):
        if _is_small(words[j]) and words[j][:1].isupper():
            opening = j
            break
    if opening is None:
        opening = run
        while (
            opening > 0
            and _is_small(words[opening - 1])
            and words[opening - 1][:1].islower()
        ):
            opening -= 1
        opening -= 1
    last = opening
    while last > 0 and _is_small(words[last - 1]) and words[last - 1][:1].islower():
        last -= 1
    if last < 2:
        return None
    heading = text[tokens[0][0] : tokens[last - 1][1]]
    if len(heading) > HEADING_MAX:
        return None
    return heading, tokens[opening][0]


def looks_like_heading(text: str, *, emphasised: bool = False) -> bool:
    """Whether a line standing alone reads as a heading rather than a sentence.

    A heading is at most 16 words and 120 characters, opens with a capital
    or a digit, does not end in . , ; : or …, and is in title case (three in
    four words that are not function words capitalised) unless the whole
    line is bold or italic.
    """
    if not text or len(text) > 120 or "|" in text:
        return False
    words = text.split()
    if len(words) > 16:
        return False
    first = text.lstrip(OPENING)[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if text.rstrip(CLOSING)[-1:] in (".", ",", ";", ":", "…"):
        return False
    if emphasised:
        return True
    significant = [_core(word) for word in words if not _is_small(_core(word))]
    significant = [word for word in significant if word]
    if not significant:
        return False
    capitalised = sum(1 for word in significant if _capitalised(word))
    return capitalised * 4 >= len(significant) * 3


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, between words, marked with …."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return (cut or text[: limit - 1]) + "…"


def inline_text(fragment: str) -> str:
    """The text of sanitised inline HTML exactly as `split_inline` counts it."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    return "".join(_fragment_root(fragment).itertext())


def _fragment_root(fragment: str):
    # Through `nesting`: lxml alone dropped all the text past 256 nested
    # <b> (or <i>...), and what followed them.
    root, _ = nesting.parse(f"<div>{fragment}</div>", blocks=frozenset())
    return root.find("body/div")


def split_inline(fragment: str, cuts: list[int]) -> list[str]:
    """Split sanitised inline HTML at offsets of its text, keeping its markup.

    Offsets count characters of `inline_text(fragment)`. A bold or link open
    across a cut is closed before it and opened again after it.
    """
    if "<" not in fragment and "&" not in fragment:
        bounds = [0, *cuts, len(fragment)]
        return [html.escape(fragment[a:b], quote=False) for a, b in pairwise(bounds)]
    pieces: list[list[str]] = [[]]
    open_tags: list[tuple[str, str]] = []  # (name, opening tag) of open elements
    pending = iter(sorted(cuts))
    next_cut = next(pending, None)
    position = 0

    def emit(text: str) -> None:
        nonlocal position, next_cut
        while next_cut is not None and next_cut <= position + len(text):
            taken = next_cut - position
            pieces[-1].append(html.escape(text[:taken], quote=False))
            text, position = text[taken:], next_cut
            pieces[-1].extend(f"</{name}>" for name, _ in reversed(open_tags))
            pieces.append([tag for _, tag in open_tags])
            next_cut = next(pending, None)
        pieces[-1].append(html.escape(text, quote=False))
        position += len(text)

    def walk(element) -> None:
        attributes = "".join(
            f' {name}="{html.escape(value)}"' for name, value in element.attrib.items()
        )
        tag = f"<{element.tag}{attributes}>"
        open_tags.append((element.tag, tag))
        pieces[-1].append(tag)
        emit(element.text or "")
        for child in element:
            walk(child)
            emit(child.tail or "")
        open_tags.pop()
        pieces[-1].append(f"</{element.tag}>")

    root = _fragment_root(fragment)
    emit(root.text or "")
    for child in root:
        walk(child)
        emit(child.tail or "")
    return ["".join(piece) for piece in pieces]
