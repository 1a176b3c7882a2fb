import pytest

from articles import revisions, workflow
from articles.models import Article

from .factories import ArticleFactory, UserFactory, make_article


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
    with django_assert_max_num_queries(10):
        revision = revisions.create_revision(article, note="Retitled")
    assert (revision.number, revision.title, revision.note) == (
        2,
        "A new title",
        "Retitled",
    )
    assert article.revisions.count() == 2


@pytest.mark.django_db
def test_publish_makes_the_latest_revision_live(superuser):
    article = make_article()
    published = workflow.publish(article, by=superuser)
    assert published.status == Article.Status.PUBLISHED
    assert published.live_revision.number == 1
    assert published.published_at is not None


@pytest.mark.django_db
def test_republishing_keeps_the_first_publication_time(superuser):
    article = make_article(publish=True)
    first_published_at = article.published_at
    article.title = "Updated"
    article.save()
    revisions.create_revision(article)
    republished = workflow.publish(article, by=superuser)
    assert republished.live_revision.number == 2
    assert republished.published_at == first_published_at


@pytest.mark.django_db
def test_only_superusers_publish_for_now(editor):
    article = make_article()
    with pytest.raises(workflow.WorkflowError, match="Only an administrator"):
        workflow.publish(article, by=editor)
    assert Article.objects.get(pk=article.pk).live_revision is None


@pytest.mark.django_db
def test_an_article_never_saved_cannot_be_published(superuser):
    with pytest.raises(workflow.WorkflowError, match="no saved version"):
        workflow.publish(ArticleFactory(), by=superuser)


@pytest.mark.django_db
def test_publishing_twice_is_refused(superuser):
    article = make_article(publish=True)
    with pytest.raises(workflow.WorkflowError, match="already published"):
        workflow.publish(article, by=UserFactory(username="boss", is_superuser=True))
