"""Find the article in a web page: its content element, its title, its chrome.

The content is the first of `<article>` (the one with the most text when
there are several), `<main>`, `[role=main]`, else the body. Navigation, page
header and footer, asides, forms, scripts, embeds, hidden elements and
containers whose class or id says ad, sharing, related, newsletter... are
boilerplate and left out wherever they are.
"""

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
    "paywall outbrain taboola".split()
)
BOILERPLATE_TAGS = frozenset({"div", "section", "ul", "ol", "figure", "span", "p"})


def metadata_titles(root) -> list[str]:
    """The page's own titles, best first: og:title (or twitter:title), <title>."""
    titles = []
    for content in root.xpath(
        "//meta[@property='og:title' or @name='og:title' "
        "or @name='twitter:title']/@content"
    ):
        text = " ".join(str(content).split())
        if text:
            titles.append(text)
            break
    element = root.find(".//title")
    if element is not None:
        text = " ".join(element.text_content().split())
        if text:
            titles.append(text)
    return titles


def content_root(body):
    """The element holding the article (see the module's docstring)."""
    articles = [
        element
        for element in body.iter("article")
        if not any(
            ancestor.tag == "article" or is_boilerplate(ancestor)
            for ancestor in element.iterancestors()
        )
        and not is_boilerplate(element)
    ]
    if articles:
        return max(articles, key=lambda element: len(element.text_content()))
    for element in body.iter("main"):
        return element
    for element in body.iter():
        if isinstance(element.tag, str) and element.get("role") == "main":
            return element
    return body


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
        words = f"{attributes.get('class', '')} {attributes.get('id', '')}".lower()
        for word in words.replace("-", " ").replace("_", " ").split():
            if word in BOILERPLATE_WORDS:
                return True
    return False


def strip_boilerplate(root) -> None:
    """Remove boilerplate under `root`, keeping the text that follows it."""
    doomed = [element for element in root.iter() if is_boilerplate(element)]
    for element in doomed:
        if element is root:
            continue
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()  # keeps its tail text
