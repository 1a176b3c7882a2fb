"""The review screen compares with the returned, published or a chosen version."""

import lxml.html
import pytest

from articles import services, workflow
from articles.testing.bodies import paragraph, table
from articles.testing.factories import make_article

PARAGRAPHS = [
    "Polls opened at seven in the morning.",
    "Turnout was high in the north.",
    "The count started at ten.",
    "Observers reported no incidents.",
    "Results are expected by noon.",
]


def body(texts=PARAGRAPHS, north="1200"):
    return [
        {"heading": "", "anchor": "intro", "blocks": [paragraph(t) for t in texts]},
        {
            "heading": "Results",
            "anchor": "results",
            "blocks": [
                table(
                    "Votes by region",
                    ["Region", {"label": "Votes", "kind": "number"}],
                    [["North", north], ["South", "900"]],
                    source_note="Electoral commission",
                )
            ],
        },
    ]


def edited(article, sections, by):
    services.replace_body(article, sections)
    return workflow.revise(article, by=by)


def review_url(article, compare=None):
    url = f"/admin/articles/article/{article.pk}/review/"
    return url if compare is None else f"{url}?compare={compare}"


def parse(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(element):
    return " ".join(element.text_content().split())


def returned_and_fixed(editor, moderator):
    """Submitted, returned with a comment, one paragraph fixed, submitted again."""
    article = make_article(body(), author=editor, title="Election day")
    workflow.submit(article, by=editor, comment="Ready.")
    workflow.reject(article, by=moderator, comment="When did the count start?")
    texts = list(PARAGRAPHS)
    texts[2] = "The count started at eleven, an hour late."
    edited(article, body(texts), editor)
    workflow.submit(article, by=editor, comment="Fixed the time.")
    return article


@pytest.mark.django_db
def test_re_review_shows_only_the_fixed_paragraph_as_changed(client, editor, moderator):
    """After a return and a one-paragraph fix, only that paragraph is a change."""
    article = returned_and_fixed(editor, moderator)
    client.force_login(moderator)
    doc = parse(client.get(review_url(article)))

    [heading] = doc.xpath("//h2[@id='changes']")
    assert text(heading) == (
        "Changes since the version returned to its author (revision 1)"
    )
    assert "moderator returned revision 1 to its author on" in text(doc)
    diff = doc.xpath("//div[@class='nr-diff']")[0]
    [changed] = diff.xpath(".//div[contains(@class, 'nr-diff-block-changed')]")
    assert text(changed.xpath("h4")[0]) == "Paragraph changed (block 3)"
    assert changed.xpath(".//del/text()") == ["ten."]
    assert changed.xpath(".//ins/text()") == ["eleven, an hour late."]
    # Nothing else is new: no other block, no other insertion or deletion.
    blocks = diff.xpath(".//div[contains(@class, 'nr-diff-block')]")
    assert {b.get("class") for b in blocks} - {changed.get("class")} == {
        "nr-diff-block nr-diff-block-unchanged"
    }
    assert len(diff.xpath(".//ins | .//del")) == 2
    # A paragraph of context each side, and one more is not worth folding.
    context = diff.xpath("./section[1]/div[contains(@class, 'unchanged')]")
    assert [text(b) for b in context] == [
        PARAGRAPHS[0],
        PARAGRAPHS[1],
        PARAGRAPHS[3],
        PARAGRAPHS[4],
    ]
    assert not diff.xpath(".//details")


@pytest.mark.django_db
def test_re_review_folds_paragraphs_far_from_the_change(client, editor, moderator):
    article = make_article(body(PARAGRAPHS * 2), author=editor)
    workflow.submit(article, by=editor)
    workflow.reject(article, by=moderator, comment="Shorten the last one.")
    texts = PARAGRAPHS * 2
    texts[-1] = "Results by noon."
    edited(article, body(texts), editor)
    workflow.submit(article, by=editor)
    client.force_login(moderator)
    doc = parse(client.get(review_url(article)))
    [fold] = doc.xpath("//div[@class='nr-diff']/section[1]/details")
    assert text(fold.xpath("summary")[0]) == "8 unchanged paragraphs"
    assert not fold.xpath(".//ins | .//del")
    [section] = doc.xpath("//div[@class='nr-diff']/section[2]")
    assert "Unchanged." in text(section)


@pytest.mark.django_db
def test_the_published_version_or_a_revision_can_be_chosen(client, editor, moderator):
    article = make_article(body(), author=editor, publish=True)  # revision 1, live
    edited(article, body(north="1250"), editor)  # 2
    workflow.submit(article, by=editor)
    workflow.reject(article, by=moderator, comment="Check South too.")
    edited(article, body(north="1250.5"), editor)  # 3
    workflow.submit(article, by=editor)
    client.force_login(moderator)

    doc = parse(client.get(review_url(article)))
    assert doc.xpath("//select[@name='compare']/option[@selected]/@value") == [
        "returned"
    ]
    assert doc.xpath("//select[@name='compare']/option/@value") == [
        "returned",
        "live",
        "2",
        "1",
        "nothing",
    ]
    cells = doc.xpath("//table[@class='nr-diff-cells']//tbody/tr/td//text()")
    assert cells == ["Votes", "1,250", "1,250.5"]

    doc = parse(client.get(review_url(article, "live")))
    assert text(doc.xpath("//h2[@id='changes']")[0]) == (
        "Changes since the published version (revision 1)"
    )
    cells = doc.xpath("//table[@class='nr-diff-cells']//tbody/tr/td//text()")
    assert cells == ["Votes", "1,200", "1,250.5"]
    assert doc.xpath("//select[@name='compare']/option[@selected]/@value") == ["live"]
    # The correction line is drafted from what readers saw, whatever is compared.
    correction = doc.xpath("//textarea[@name='correction']")[0].text
    assert "North / Votes: 1,200 → 1,250.5" in correction

    doc = parse(client.get(review_url(article, "2")))
    assert text(doc.xpath("//h2[@id='changes']")[0]) == "Changes since revision 2"

    doc = parse(client.get(review_url(article, "nothing")))
    assert text(doc.xpath("//h2[@id='changes']")[0]) == "Everything, as if it were new"
    assert doc.xpath("//div[contains(@class, 'nr-diff-block-added')]")


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["7", "0", "-1", "abc", "returned", "3"])
def test_a_version_this_article_does_not_have_is_refused_with_a_message(
    client, editor, moderator, asked
):
    """Another article's revision number, or nonsense, is refused, not loaded."""
    other = make_article(body(["Another article's secret text."]), author=editor)
    for n in range(6):
        edited(other, body([f"Another article's secret text, take {n}."]), editor)
    assert other.revisions.count() == 7
    article = make_article(body(), author=editor, publish=True)
    edited(article, body(north="1250"), editor)
    workflow.submit(article, by=editor)  # revision 2 is current: 3 does not exist
    client.force_login(moderator)
    doc = parse(client.get(review_url(article, asked)))
    assert f"“{asked}” is not one of this article's versions" in text(doc)
    assert "secret" not in text(doc)
    # The usual comparison instead: the published version.
    assert text(doc.xpath("//h2[@id='changes']")[0]) == (
        "Changes since the published version (revision 1)"
    )


@pytest.mark.django_db
def test_the_review_screen_keeps_its_queries_whatever_the_history(
    client, editor, moderator, django_assert_max_num_queries
):
    article = returned_and_fixed(editor, moderator)
    client.force_login(moderator)
    client.get(review_url(article))  # sessions, permissions: cached from here on
    with django_assert_max_num_queries(QUERIES) as few:
        parse(client.get(review_url(article, "1")))
    for n in range(20):
        texts = list(PARAGRAPHS)
        texts[0] = f"Polls opened at seven, take {n}."
        workflow.withdraw(article, by=editor)
        edited(article, body(texts), editor)
        workflow.submit(article, by=editor)
        workflow.reject(article, by=moderator, comment=f"Again ({n}).")
        workflow.submit(article, by=editor)
    with django_assert_max_num_queries(len(few)):
        parse(client.get(review_url(article, "1")))


# What the screen needs: session and user, the article, permissions, its
# current revision and the four-eyes rule (each asked twice), the imported
# source, the submission and its author, the revision's author, the last
# decision, the revision list and the chosen revision; the conversation; the
# header's counts (every admin page).
QUERIES = 20
