"""A web page's title: its metadata titles, the site's name, its headings.

Read by `page.py` (which article is the page's) and `html.py` (the title);
`repair.py` never takes a navigation heading ("Contents") for a title.
"""

import re


def metadata_titles(root) -> list[str]:
    """The page's own titles, best first: og:title (or twitter:title), <title>.

    The site's name is taken off either end ("Story | Site"; see
    `without_site_name`), and a navigation heading is never a title.
    """
    titles = []
    for content in _meta_contents(root, ("og:title",), ("og:title", "twitter:title")):
        text = " ".join(content.split())
        if text:
            titles.append(text)
            break
    element = root.find(".//title")
    if element is not None:
        text = " ".join(element.text_content().split())
        if text:
            titles.append(text)
    if any(_SEPARATOR.search(title) for title in titles):  # a site's name may end it
        names = site_names(root)
        headlines = [heading_text(h1) for h1 in root.iter("h1")]
        titles = [without_site_name(title, names, headlines) for title in titles]
    return [title for title in titles if title and not is_navigation_heading(title)]


def site_names(root) -> list[str]:
    """The site's name as the page gives it: og:site_name, application-name, or
    an <h1> in a page <header> outside the article (a logo)."""
    names = [
        " ".join(content.split())
        for content in _meta_contents(
            root, ("og:site_name",), ("og:site_name", "application-name")
        )
    ]
    for h1 in root.iter("h1"):
        ancestors = {ancestor.tag for ancestor in h1.iterancestors()}
        if "header" in ancestors and not ancestors & {"article", "main"}:
            names.append(heading_text(h1))
    return [name for name in names if name]


def _meta_contents(root, properties: tuple, names: tuple) -> list[str]:
    """The `content` of the page's <meta> elements of those `property` or
    `name` values, in document order (lxml's tag search, quicker than XPath)."""
    return [
        meta.get("content")
        for meta in root.iter("meta")
        if meta.get("content") is not None
        and (meta.get("property") in properties or meta.get("name") in names)
    ]


_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»:]{1,2})\s+")
SHORT_SUFFIX = 40  # characters: a last part this short may be the site's name


def without_site_name(title: str, names: list[str], headlines: list[str]) -> str:
    """The title without the site's name before or after a separator.

    The name is one the page gives (`site_names`); else a short last part
    goes when what stands before it is the page's <h1>.
    """
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    known = {title_key(name) for name in names}
    first, last = title[: _last_separator(title).start()], parts[-1]
    if title_key(last) in known:
        return first
    if title_key(parts[0]) in known:
        return title[_SEPARATOR.search(title).end() :]
    if len(last) <= SHORT_SUFFIX and title_key(first) in {
        title_key(h) for h in headlines
    }:
        return first
    return title


def _last_separator(title: str):
    *_, match = _SEPARATOR.finditer(title)
    return match


def title_key(text: str) -> str:
    """A title as compared: case, punctuation and spacing left out."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# Headings of a page's navigation, never an article's title.
_NAVIGATION_HEADING = re.compile(
    r"(?:(?:table of )?contents|on this page|in this (?:article|story)|see also|"
    r"(?:main |site )?navigation(?: menu)?|(?:main )?menu|search|sections|"
    r"related(?: articles| stories| content| links)?|share(?: this(?: article| "
    r"story| page)?)?|more (?:stories|from \w+(?: \w+)?)|read (?:next|more)|"
    r"most (?:read|popular|viewed)|top stories|latest|recommended(?: for you)?|"
    r"you (?:may|might) also like|trending|\d* ?comments?|newsletter|"
    r"advertisement|skip to (?:main )?content|tags|categories)",
    re.IGNORECASE,
)


def is_navigation_heading(text: str) -> bool:
    """Whether a heading names a part of the page's chrome ("Contents", "Share")."""
    return bool(_NAVIGATION_HEADING.fullmatch(title_key(text)))


# Elements whose edges part words in a heading: a kicker in <small>, a <br>.
_SPACED = frozenset("br small div p span".split())


def heading_text(element) -> str:
    """A heading's text, with a space where a <br>, a <small> kicker or a block
    meets the rest (`<small>A</small><br>B` is "A B", not "AB")."""
    parts: list[str] = []

    def walk(node) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                spaced = child.tag in _SPACED
                parts.append(" " if spaced else "")
                walk(child)
                parts.append(" " if spaced else "")
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())
