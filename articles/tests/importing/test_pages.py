"""Full web pages: the right article (or a refusal), its title, its chrome left out."""

import pytest

from articles.importing import ImportRefused, parse
from articles.importing.title import without_site_name

from .helpers import codes, note
from .page_corpus import PAGES, expectations, score


def html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def texts(article) -> list[str]:
    return [
        text
        for section in article.to_json()["sections"]
        for text in [section["heading"] or ""]
        + [block.get("text", "") for block in section["blocks"]]
        + [item for block in section["blocks"] for item in block.get("items", [])]
        if text
    ]


@pytest.mark.parametrize("name", sorted(expectations()))
def test_corpus_page_gets_its_title_and_its_own_text(name):
    """Each page of samples/pages imports with the expected title and text."""
    result = score(name, expectations()[name])
    assert (result.title, result.body) == (True, True), result.detail


def test_a_section_front_of_article_teasers_is_refused():
    """A page of 12 <article> teasers is refused with the count and what to do."""
    with pytest.raises(ImportRefused) as refusal:
        parse((PAGES / "section-front.html").read_bytes(), name="world.html")
    assert str(refusal.value) == (
        "This page lists 12 articles (a section front); import each article's "
        "own page instead."
    )


def test_a_section_front_of_headline_cards_is_refused():
    """Cards of linked headlines holding most of the page's text are a listing."""
    cards = "".join(
        f"<div><h3><a href='/s/{i}'>Story {i}</a></h3><p>Teaser {i}.</p></div>"
        for i in range(4)
    )
    with pytest.raises(ImportRefused, match="lists 4 articles"):
        parse(html(f"<main>{cards}</main>"))


def test_the_article_whose_headline_is_the_page_title_is_picked():
    """Among teasers, the <article> whose <h1> is og:title is the article."""
    teasers = "".join(
        f"<article><h3><a href='/s/{i}'>Other story {i}</a></h3>"
        f"<p>A much longer teaser text for story number {i}, longer than the brief.</p>"
        "</article>"
        for i in range(5)
    )
    source = html(
        f"<article><h1>Main story</h1><p>Brief.</p></article>{teasers}",
        '<meta property="og:title" content="Main story">',
    )
    article = parse(source)
    assert (article.title, texts(article)) == ("Main story", ["Brief."])


def test_an_article_with_a_few_related_cards_is_not_a_section_front():
    """An article holding most of the text is read even beside teaser <article>s."""
    body = "".join(
        f"<p>Paragraph {i} of the story, with some words.</p>" for i in range(6)
    )
    cards = "".join(
        f"<article><h3><a href='/s/{i}'>Other {i}</a></h3></article>" for i in range(3)
    )
    article = parse(html(f"<article><h2>Story</h2>{body}</article>{cards}"))
    assert "Paragraph 5 of the story, with some words." in texts(article)


def test_headings_linking_to_their_own_sections_are_not_teasers():
    """<h2><a href="#part"> headings are an article's own, never a listing."""
    parts = "".join(
        f"<h2><a href='#p{i}'>Part {i}</a></h2><p>Text {i}.</p>" for i in range(5)
    )
    assert "Text 4." in texts(parse(html(f"<main>{parts}</main>")))


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        (
            '<title>Story | Site</title><meta property="og:site_name" content="Site">',
            "<p>x</p>",
            "Story",
        ),
        (
            '<meta property="og:title" content="Story - The Site">'
            '<meta property="og:site_name" content="The Site">',
            "<p>x</p>",
            "Story",
        ),
        (
            '<title>Site — Story</title><meta property="og:site_name" content="Site">',
            "<p>x</p>",
            "Story",
        ),
        (
            "<title>Story — Valley Gazette</title>",
            "<header><h1><a href='/'>Valley Gazette</a></h1></header><p>x</p>",
            "Story",
        ),
        (
            "<title>Why: a question - answered</title>",
            "<p>x</p>",
            "Why: a question - answered",
        ),
        (
            "",
            "<h1><small>Analysis</small><br>Markets fall</h1><p>x</p>",
            "Analysis Markets fall",
        ),
        ("", "<h1>Bre<em>x</em>it talks</h1><p>x</p>", "Brexit talks"),
        (
            '<meta property="og:title" content="Contents"><title>Real title</title>',
            "<p>x</p>",
            "Real title",
        ),
    ],
)
def test_title_rules(head, body, title):
    """Site names come off, kickers are spaced, navigation headings are no title."""
    assert parse(html(body, head)).title == title


def test_a_short_suffix_goes_when_the_rest_is_the_headline():
    assert (
        without_site_name("Markets fall - FT", [], ["Markets fall"]) == "Markets fall"
    )
    assert without_site_name("Markets fall - FT", [], []) == "Markets fall - FT"


def test_a_navigation_heading_is_never_the_derived_title():
    """A page whose first heading is "Contents" gets a flagged title, not that."""
    article = parse(
        html("<h2>Contents</h2><p>Lead text here.</p><h2>History</h2><p>x</p>")
    )
    assert article.title == "History"
    assert "title-derived" in codes(article)


def test_no_title_at_all_is_flagged_for_the_editor():
    """A title made from the file's name is noted as missing: the editor writes one."""
    article = parse("<ul><li>one</li><li>two</li></ul>", format="html", name="x_1.html")
    assert article.title == "x 1"
    missing = note(article, "title-missing")
    assert missing.where == "title" and "must write the title" in missing.message


def test_chrome_found_by_structure_is_left_out_and_noted_where_it_stood():
    """A byline heading and a "Read next" list go, with notes; share links silently."""
    source = html(
        "<article><h1>Title</h1><h4>By Maria Lind</h4>"
        "<ul><li><a href='/fb'>Facebook</a></li><li><a href='/x'>X</a></li></ul>"
        "<p>First.</p><h3>Read next</h3><ul><li><a href='/a'>Story A</a></li>"
        "<li><a href='/b'>Story B</a></li></ul><p>Second.</p></article>"
    )
    article = parse(source)
    assert texts(article) == ["First.", "Second."]
    byline, links = [n for n in article.notes if n.code == "page-part-left-out"]
    assert byline.where == "start of the article" and "By Maria Lind" in byline.message
    assert links.where == "section 1, after block 1"
    assert "“Story A”, “Story B”" in links.message


@pytest.mark.parametrize(
    "kept",
    [
        "<h2>By the numbers</h2><p>Three facts.</p>",
        "<h2>See also</h2><ul><li><a href='/a'>Toompea</a></li>"
        "<li><a href='/b'>Hansa</a></li></ul>",
        "<p>Photos: <a href='/a'>Reuters</a> / <a href='/b'>AP</a></p>",
        "<ul><li><a href='/a'>Report</a></li><li><a href='/b'>Annex</a></li></ul>",
    ],
)
def test_what_could_be_the_article_s_own_text_is_kept(kept):
    """Headings, "See also" lists and link lines that may be content stay."""
    article = parse(html(f"<article><h1>T</h1><p>Lead.</p>{kept}</article>"))
    assert "page-part-left-out" not in codes(article)
    assert len(texts(article)) > 1


@pytest.mark.parametrize(
    "chrome",
    [
        "<div class='read-next'><a href='/a'>Other</a></div>",
        "<section aria-label='Share this article'><a href='/a'>Send</a></section>",
        "<ol itemtype='https://schema.org/BreadcrumbList'><li>Home</li></ol>",
        "<p class='crumbs-x'><a href='/'>Home</a> › <a href='/w'>World</a></p>",
        "<div id='disqus_thread'>Comment here</div>",
        "<h3 class='byline'>Maria Lind</h3>",
    ],
)
def test_chrome_marked_by_class_id_or_aria_is_left_out(chrome):
    article = parse(html(f"<article><h1>T</h1><p>Lead.</p>{chrome}</article>"))
    assert texts(article) == ["Lead."]
