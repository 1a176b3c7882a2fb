import pytest

from articles import revisions, services, workflow
from articles.testing.bodies import paragraph
from articles.testing.factories import make_article


@pytest.mark.django_db
def test_snapshot_holds_the_whole_article():
    article = make_article(standfirst="In short.")
    snapshot = article.revisions.get().snapshot
    assert snapshot["title"] == article.title
    assert snapshot["standfirst"] == "In short."
    lede, details = snapshot["sections"]
    assert lede["blocks"] == [{"type": "paragraph", "html": "The lede."}]
    assert details["anchor"] == "details"
    assert details["blocks"][0] == {
        "type": "list",
        "ordered": False,
        "items": ["One", "Two"],
    }
    assert details["blocks"][1]["columns"][1] == {
        "label": "Value",
        "kind": "number",
        "unit": "",
        "decimals": None,
        "align": "auto",
    }
    assert details["blocks"][1]["rows"] == [["a", "1"], ["b", "2"]]


@pytest.mark.django_db
def test_each_change_makes_a_numbered_revision(django_assert_max_num_queries):
    article = make_article()
    assert revisions.create_revision(article).number == 1  # unchanged: no new revision
    article.title = "A new title"
    article.save()
    with django_assert_max_num_queries(12):
        revision = revisions.create_revision(article, note="Retitled")
    assert (revision.number, revision.title, revision.note) == (
        2,
        "A new title",
        "Retitled",
    )
    assert article.revisions.count() == 2


@pytest.mark.django_db
def test_a_revision_kept_aside_is_never_the_current_one():
    article = make_article()
    data = {**revisions.snapshot(article), "title": "Typed in an old tab"}
    kept = revisions.keep_aside(article, data, author=None, base=None, note="Kept")
    assert kept.number == 2 and kept.conflicted
    assert article.current_revision().number == 1
    # The next real save numbers after it and compares with the current one.
    article.title = "Saved properly"
    article.save()
    assert revisions.create_revision(article).number == 3


@pytest.mark.django_db
def test_restore_brings_back_an_old_revision_as_a_new_one(editor):
    article = make_article(title="First title", author=editor)
    services.replace_body(
        article, [{"heading": "", "blocks": [paragraph("Rewritten.")]}]
    )
    article.title = "Second title"
    article.save()
    workflow.revise(article, by=editor)

    restored = workflow.restore(article.revisions.get(number=1), by=editor)

    assert restored.number == 3
    assert restored.note == "Restored from revision 1"
    assert restored.snapshot == {**article.revisions.get(number=1).snapshot}
    article.refresh_from_db()
    assert article.title == "First title"
    assert revisions.snapshot(article) == restored.snapshot
    assert article.revisions.count() == 3  # nothing overwritten


@pytest.mark.django_db
def test_a_revision_of_the_body_just_stored_is_not_read_back(
    django_assert_max_num_queries,
):
    """What replace_body returns is the stored body: the revision needs no reread."""
    article = make_article()
    body = [
        {"heading": "", "blocks": [paragraph("  A <b>new</b>  lede<script>x</script>")]}
    ]
    stored = services.replace_body(article, body)
    with django_assert_max_num_queries(6):  # lock, latest, insert, savepoint
        revision = workflow.revise(article, by=None, sections=stored)
    assert revision.number == 2
    assert revision.snapshot == revisions.snapshot(article)
