"""Find the article in a web page: its content element and its chrome.

The content is the first of `<article>` (the one with the most text when
there are several), `<main>`, `[role=main]`, else the body. A page listing
articles (a section front: three or more `<article>` teasers or linked
headline cards holding most of its text) is refused, unless one `<article>`
or `<main>` has an `<h1>` matching the page's own title (`title.py`): that
one is the article. Navigation, page header and footer, asides, forms,
scripts, embeds, hidden elements and containers whose class, id or
aria-label says ad, sharing, related, newsletter, comments... are
boilerplate and left out wherever they are; `leave_out_page_parts` finds
the rest by structure.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from lxml import etree

from .document import ImportRefused
from .stream import RawNote
from .title import heading_text, title_key

# Removed wherever they are, with their content.
DROPPED = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg "
    "math canvas video audio picture source track map area button input select "
    "textarea option optgroup datalist form nav aside header footer head dialog "
    "menu meta link base title label fieldset legend output progress meter".split()
)
DROPPED_ROLES = frozenset(
    "navigation banner contentinfo complementary search menu menubar dialog "
    "alert".split()
)
# Class or id words that mark boilerplate on containers.
BOILERPLATE_WORDS = frozenset(
    "ad ads advert adverts advertisement advertising adslot banner promo sponsored "
    "share sharing social related newsletter subscribe subscription cookie "
    "cookies consent comments sidebar breadcrumb breadcrumbs navbar popup modal "
    "paywall outbrain taboola toc byline crumbs disqus recommended recirculation "
    "trending signup catlinks editsection noprint navigation".split()
)
# Runs of class or id words that mark boilerplate together ("read-next").
BOILERPLATE_PHRASES = (
    " read next ",
    " more stories ",
    " most read ",
    " most popular ",
    " top stories ",
    " also read ",
    " you may like ",
    " story tools ",
    " article tools ",
    " social links ",
    " author bio ",
    " comment list ",
    " comment section ",
)
BOILERPLATE_TAGS = frozenset("div section ul ol figure span p h2 h3 h4 h5 h6".split())
LISTING_MIN = 3  # teasers: fewer is an article with a box or two of links


def content_root(body, titles: list[str] | None = None):
    """The element holding the article (see the module's docstring).

    Raises ImportRefused when the page lists articles and none of them is
    the page's own.
    """
    articles = [
        element
        for element in body.iter("article")
        if not any(
            ancestor.tag == "article" or is_boilerplate(ancestor)
            for ancestor in element.iterancestors()
        )
        and not is_boilerplate(element)
    ]
    if len(articles) >= 2:
        headlined = _headlined(articles + _mains(body), titles or [])
        if headlined is not None:
            return headlined
    if len(articles) == 1:
        return articles[0]
    if articles:
        lengths = [len(element.text_content()) for element in articles]
        longest = max(range(len(articles)), key=lengths.__getitem__)  # the first
        if len(articles) >= LISTING_MIN and 2 * lengths[longest] < sum(lengths):
            _refuse_listing(len(articles))
        return articles[longest]
    mains = _mains(body)
    root = mains[0] if mains else body
    cards = teaser_cards(root)
    if len(cards) >= LISTING_MIN:
        card_text = sum(len(card.text_content()) for card in cards)
        if 2 * card_text >= len(root.text_content()) and (
            _headlined([root], titles or []) is None
        ):
            _refuse_listing(len(cards))
    return root


_ROLE_MAIN = etree.XPath("descendant-or-self::*[@role='main']")


def _mains(body) -> list:
    """The `<main>` and `[role=main]` elements, `body` included, in order."""
    by_tag, by_role = list(body.iter("main")), _ROLE_MAIN(body)
    if not by_role or not by_tag:
        return by_tag or by_role  # found in C, in document order
    return [
        element
        for element in body.iter()
        if element.tag == "main"
        or (isinstance(element.tag, str) and element.get("role") == "main")
    ]


def _headlined(candidates, titles: list[str]):
    """The one candidate whose <h1> is the page's title, if exactly one is."""
    keys = {title_key(title) for title in titles}
    found = [
        element
        for element in candidates
        if any(title_key(heading_text(h1)) in keys for h1 in element.iter("h1"))
    ]
    # A <main> around the headlined <article> gives way to it.
    innermost = [
        element
        for element in found
        if not any(element in other.iterancestors() for other in found)
    ]
    return innermost[0] if len(innermost) == 1 else None


def _refuse_listing(count: int) -> None:
    raise ImportRefused(
        _(
            "This page lists %(count)d articles (a section front); import each "
            "article's own page instead."
        )
        % {"count": count}
    )


def teaser_cards(root) -> list:
    """The teaser cards under `root`: each headline (h2-h4) that is a link to
    another page, widened to its largest ancestor holding no other one."""
    linked = [
        heading for heading in root.iter("h2", "h3", "h4") if _is_link_away(heading)
    ]
    cards = []
    for heading in linked:
        card, parent = heading, heading.getparent()
        while (
            parent is not None
            and parent is not root
            and sum(1 for other in linked if parent in other.iterancestors()) == 1
        ):
            card, parent = parent, parent.getparent()
        cards.append(card)
    return cards


def _is_link_away(heading) -> bool:
    """Whether a heading is all one link to another page (not an #anchor)."""
    text = title_key(heading_text(heading))
    if not text:
        return False
    for link in (*heading.iterancestors("a"), *heading.iter("a")):
        href = link.get("href", "").strip()
        if href and not href.startswith("#") and title_key(heading_text(link)) == text:
            return True
        if href and not href.startswith("#") and link in heading.iterancestors():
            return True
    return False


def first_outside_boilerplate(body, tag: str):
    for element in body.iter(tag):
        if not any(
            ancestor.tag in ("nav", "aside", "footer") or is_boilerplate(ancestor)
            for ancestor in element.iterancestors()
        ):
            return element
    return None


def is_boilerplate(element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return True
    if tag in DROPPED:
        return True
    return has_boilerplate_attributes(tag, element.attrib)


def has_boilerplate_attributes(tag: str, attributes) -> bool:
    """Whether an element's attributes mark it as boilerplate (see the docstring)."""
    if not attributes:
        return False
    if attributes.get("role", "").strip().lower() in DROPPED_ROLES:
        return True
    if "hidden" in attributes or attributes.get("aria-hidden", "").lower() == "true":
        return True
    style = attributes.get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    if tag in BOILERPLATE_TAGS:
        words = " ".join(
            attributes.get(name, "") for name in ("class", "id", "aria-label")
        )
        words = words.lower().replace("-", " ").replace("_", " ").split()
        if any(word in BOILERPLATE_WORDS for word in words):
            return True
        joined = f" {' '.join(words)} "
        if any(phrase in joined for phrase in BOILERPLATE_PHRASES):
            return True
        if "breadcrumblist" in attributes.get("itemtype", "").lower():
            return True
    return False


def strip_boilerplate(root) -> None:
    """Remove boilerplate under `root`, keeping the text that follows it."""
    doomed = _boilerplate(root)
    for element in doomed:
        if element is root:
            continue
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()  # keeps its tail text


# Only these can be boilerplate: elements with attributes, dropped tags, and
# anything but an element (`is_boilerplate`); lxml finds them in C.
# (The owners of the attributes: three times quicker than `*[@*]`.)
_WITH_ATTRIBUTES = etree.XPath("descendant-or-self::*/@*/..")
_DROPPED_OR_NOT_ELEMENTS = (
    *sorted(DROPPED),
    etree.Comment,
    etree.ProcessingInstruction,
    etree.Entity,
)


def _boilerplate(root) -> list:
    """The boilerplate elements under `root` (and `root`), each once; not in
    document order, which dropping them does not depend on."""
    found = {}
    for element in root.iter(*_DROPPED_OR_NOT_ELEMENTS):
        found[element] = True
    for element in _WITH_ATTRIBUTES(root):
        if element not in found and is_boilerplate(element):
            found[element] = True
    return list(found)


# What `leave_out_page_parts` leaves in place of a part with a note.
LEFT_OUT_TAG = "newsroom-left-out"
_SHARE_WORDS = frozenset(
    "facebook twitter x linkedin whatsapp telegram messenger reddit pinterest "
    "mastodon bluesky threads email e mail mail print share tweet copy link "
    "copy link".split()
)
# "By Maria Lind, ...": a name of capitalised words after "by" (not "By the
# numbers").
_BYLINE = re.compile(r"(?i:by|von|par|por|door|av|af)\s+[A-ZÀ-Þ]\S*\s+[A-ZÀ-Þ].{0,60}")
_CRUMB_SEPARATORS = re.compile(r"[\s›»>/|·•→]*")
# Chrome headings over a list of links; "See also" lists are an article's own.
_LINKS_HEADING = re.compile(
    r"(?:(?:table of )?contents|on this page|in this (?:article|story)|"
    r"related(?: articles| stories| content| links)?|more (?:stories|from .{1,30})|"
    r"read (?:next|more)|most (?:read|popular|viewed)|top stories|latest|"
    r"recommended(?: for you)?|you (?:may|might) also like|trending)",
    re.I,
)


def leave_out_page_parts(content) -> list[RawNote]:
    """Leave out the chrome that only its structure shows; return the notes.

    Share-button lists and breadcrumb trails (links and separators only) go
    silently: they are not text. A byline set as a heading ("By Maria
    Lind") and a list of links under a chrome heading ("Read next",
    "Contents") could pass for content: each leaves a placeholder for its
    note, which says what was left out. Nothing inside a table is touched.
    """
    notes: list[RawNote] = []
    if content.find(".//a") is not None:  # (both are made of links)
        _drop_share_lists_and_breadcrumbs(content)
    for heading in list(content.iter("h2", "h3", "h4", "h5", "h6")):
        if _in_table(heading) or heading.getparent() is None:
            continue
        text = heading_text(heading)
        if _BYLINE.fullmatch(text) and not text.endswith((".", "?", "!")):
            message = _(
                "The heading “%(text)s” reads as a byline and was left out of "
                "the article. Add it back if it is a heading of the article."
            ) % {"text": text}
            _leave_out([heading], message, notes)
            continue
        following = heading.getnext()
        if (
            following is not None
            and following.tag in ("ul", "ol")
            and _LINKS_HEADING.fullmatch(title_key(text))
            and _all_links(following)
        ):
            links = [heading_text(a) for a in following.iter("a")]
            message = _(
                "A list of %(count)d links headed “%(heading)s” was left out as "
                "the page's navigation, not the article: %(links)s. Add it back "
                "if it belongs to the article."
            ) % {
                "count": len(links),
                "heading": text,
                "links": ", ".join(f"“{link}”" for link in links),
            }
            _leave_out([heading, following], message, notes)
    return notes


def _drop_share_lists_and_breadcrumbs(content) -> None:
    for element in list(content.iter("ul", "ol", "div", "p", "span")):
        if _in_table(element) or element.getparent() is None:
            continue
        if _is_share_list(element) or _is_breadcrumb(element):
            element.drop_tree()


def _leave_out(elements, message: str, notes: list[RawNote]) -> None:
    first = elements[0]
    placeholder = first.makeelement(LEFT_OUT_TAG, {"note": str(len(notes))})
    first.addprevious(placeholder)
    for element in elements:
        element.drop_tree()  # keeps its tail text
    notes.append(RawNote("page-part-left-out", "", message))


def _in_table(element) -> bool:
    return any(ancestor.tag == "table" for ancestor in element.iterancestors())


def _link_texts(element) -> list[str]:
    return [title_key(heading_text(a)) for a in element.iter("a")]


def _all_links(element) -> bool:
    """Whether all of an element's text is in its links (two or more)."""
    links = _link_texts(element)
    return len(links) >= 2 and len(title_key(element.text_content())) <= len(
        " ".join(links)
    )


def _is_share_list(element) -> bool:
    links = _link_texts(element)
    return (
        len(links) >= 2  # as `_all_links` needs (before it finds them again)
        and _all_links(element)
        and all(link and set(link.split()) <= _SHARE_WORDS for link in links)
        and len(element.xpath(".//p|.//h2|.//h3|.//h4")) == 0
    )


def _is_breadcrumb(element) -> bool:
    """Links parted by "›", "»", ">" or "/" and nothing else: a trail."""
    links = list(element.iter("a"))
    if len(links) < 2 or element.tag in ("ul", "ol"):
        return False
    rest = element.text_content()
    for link in links:
        rest = rest.replace(link.text_content(), " ", 1)
    return bool(rest.strip()) and bool(_CRUMB_SEPARATORS.fullmatch(rest))
