"""Saving from an outdated page: refused, explained, and nothing lost."""

import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from articles import workflow
from articles.models import Article
from articles.testing.factories import make_article

from .admin_forms import editor_body, form_data, with_body


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def open_editor(user, article):
    """Open the article's page as `user`: the form's data, the body it posts."""
    client = Client()
    client.force_login(user)
    page = client.get(change_url(article))
    return client, with_body(form_data(page), editor_body(page))


@pytest.mark.django_db
def test_second_of_two_simultaneous_saves_is_kept_aside(editor, other_editor):
    article = make_article(author=editor, title="Original")
    first, first_form = open_editor(editor, article)
    second, second_form = open_editor(other_editor, article)

    first_form["title"] = "First editor's title"
    assert first.post(change_url(article), first_form).status_code == 302

    second_form["title"] = "Second editor's title"
    body = json.loads(second_form["body"])
    body[0]["blocks"][0]["html"] = "Second editor's lede."
    response = second.post(change_url(article), with_body(second_form, body))

    assert response.status_code == 302
    assert response["Location"].endswith("compare/?from=2&to=3")
    [message] = get_messages(response.wsgi_request)
    assert "editor saved a newer version (revision 2)" in str(message)
    assert "kept as revision 3" in str(message)

    article.refresh_from_db()
    assert article.title == "First editor's title"  # the first save stands
    assert article.current_revision().number == 2
    kept = article.revisions.get(number=3)
    assert kept.conflicted and kept.author == other_editor and kept.base.number == 1
    assert kept.snapshot["title"] == "Second editor's title"
    assert kept.snapshot["sections"][0]["blocks"][0]["html"] == "Second editor's lede."

    # The comparison shows the kept-aside body against the current one.
    compare = second.get(response["Location"]).content.decode()
    assert "Second editor&#x27;s lede." in compare or "Second editor's lede." in compare
    assert "The lede." in compare
    body = article.current_revision().snapshot["sections"]
    assert body[0]["blocks"][0]["html"] == "The lede."


@pytest.mark.django_db
def test_kept_aside_work_can_be_restored(editor, other_editor):
    article = make_article(author=editor)
    first, first_form = open_editor(editor, article)
    second, second_form = open_editor(other_editor, article)
    first.post(change_url(article), {**first_form, "title": "Theirs"})
    second.post(change_url(article), {**second_form, "title": "Mine"})

    second.post(f"/admin/articles/article/{article.pk}/revisions/3/restore/")

    article.refresh_from_db()
    assert article.title == "Mine"
    assert article.current_revision().number == 4
    assert [r.title for r in article.revisions.order_by("number")] == [
        article.revisions.get(number=1).title,
        "Theirs",
        "Mine",
        "Mine",
    ]


@pytest.mark.django_db
def test_an_edit_posted_after_submission_is_kept_aside(editor, other_editor):
    article = make_article(author=editor, title="Submitted title")
    client, form = open_editor(other_editor, article)
    workflow.submit(article, by=editor)

    response = client.post(change_url(article), {**form, "title": "Late edit"})

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert "is in review by editor" in str(message)
    assert "so it cannot be edited now" in str(message)
    article.refresh_from_db()
    assert (article.status, article.title) == (
        Article.Status.IN_REVIEW,
        "Submitted title",
    )
    assert article.revisions.get(number=2).snapshot["title"] == "Late edit"


@pytest.mark.django_db
def test_an_article_in_review_opens_read_only(client, editor):
    article = workflow.submit(make_article(author=editor), by=editor)
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert "read-only while in review" in html
    assert 'name="title"' not in html
