"""The permission policy: what each role may do to an article in each state.

EXPECTED is the rule written out once; the tests check that the policy
answers it, that every transition does exactly what the policy offers, and
that the article page offers exactly that.
"""

from datetime import timedelta

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import Article, Block, TransitionLog
from articles.testing.factories import UserFactory, make_article
from articles.workflow import (
    APPROVE,
    EDIT,
    IMPORT,
    REJECT,
    REVIEW,
    SCHEDULE,
    SHARE,
    SUBMIT,
    UNPUBLISH,
    WITHDRAW,
)

from .admin_forms import editor_body, form_data, with_body
from .conftest import member_of

ROLES = [
    "editor",  # wrote the article and submits it
    "other_editor",
    "moderator",
    "writing_moderator",  # wrote its first version (four-eyes), or its changes
    "superuser",
    "nobody",  # staff, in no group
]
STATES = [
    "draft",
    "in_review",
    "published",
    "changes_in_review",  # published, then edited and submitted again
    "scheduled",
    "unpublished",
]
MODERATING = [WITHDRAW, REVIEW, APPROVE, SCHEDULE, REJECT, SHARE]
EXPECTED = {
    "draft": {
        "editor": [EDIT, SUBMIT, SHARE, IMPORT],
        "other_editor": [EDIT, SUBMIT, IMPORT],
        "moderator": [EDIT, SUBMIT, SHARE, IMPORT],
        "writing_moderator": [EDIT, SUBMIT, SHARE, IMPORT],
        "superuser": [EDIT, SUBMIT, SHARE, IMPORT],
        "nobody": [],
    },
    "in_review": {
        "editor": [WITHDRAW, SHARE],
        "other_editor": [],
        "moderator": MODERATING,
        "writing_moderator": [WITHDRAW, REVIEW, REJECT, SHARE],
        "superuser": MODERATING,
        "nobody": [],
    },
    "published": {
        "editor": [EDIT, SHARE],
        "other_editor": [EDIT],
        "moderator": [EDIT, UNPUBLISH, SHARE],
        "writing_moderator": [EDIT, UNPUBLISH, SHARE],
        "superuser": [EDIT, UNPUBLISH, SHARE],
        "nobody": [],
    },
    "changes_in_review": {
        "editor": [WITHDRAW, SHARE],
        "other_editor": [],
        "moderator": [WITHDRAW, REVIEW, APPROVE, REJECT, UNPUBLISH, SHARE],
        "writing_moderator": [WITHDRAW, REVIEW, REJECT, UNPUBLISH, SHARE],
        "superuser": [WITHDRAW, REVIEW, APPROVE, REJECT, UNPUBLISH, SHARE],
        "nobody": [],
    },
    "scheduled": {
        "editor": [SHARE],
        "other_editor": [],
        "moderator": [UNPUBLISH, SHARE],
        "writing_moderator": [UNPUBLISH, SHARE],
        "superuser": [UNPUBLISH, SHARE],
        "nobody": [],
    },
    "unpublished": {
        "editor": [EDIT, SUBMIT, SHARE, IMPORT],
        "other_editor": [EDIT, SUBMIT, IMPORT],
        "moderator": [EDIT, SUBMIT, SHARE, IMPORT],
        "writing_moderator": [EDIT, SUBMIT, SHARE, IMPORT],
        "superuser": [EDIT, SUBMIT, SHARE, IMPORT],
        "nobody": [],
    },
}


@pytest.fixture
def people(db):
    return {
        "editor": member_of(workflow.EDITORS, "editor"),
        "other_editor": member_of(workflow.EDITORS, "other_editor"),
        "moderator": member_of(workflow.MODERATORS, "moderator"),
        "writing_moderator": member_of(workflow.MODERATORS, "writing_moderator"),
        "superuser": UserFactory(username="chief", is_staff=True, is_superuser=True),
        "nobody": UserFactory(username="nobody", is_staff=True),
    }


def article_in(state: str, people) -> Article:
    """An article by `editor`, whose text `writing_moderator` wrote."""
    editor, chief = people["editor"], people["superuser"]
    article = make_article(author=people["writing_moderator"])
    Article.objects.filter(pk=article.pk).update(created_by=editor)
    article = Article.objects.get(pk=article.pk)
    if state == "draft":
        return article
    article = workflow.submit(article, by=editor)
    if state == "in_review":
        return article
    if state == "scheduled":
        return workflow.approve(article, by=chief, at=timezone.now() + timedelta(1))
    article = workflow.approve(article, by=chief)
    if state == "unpublished":
        return workflow.unpublish(article, by=chief)
    if state == "changes_in_review":
        article.title = "Changed by the moderator"
        article.save()
        workflow.revise(article, by=people["writing_moderator"])
        return workflow.submit(article, by=editor)
    assert state == "published"
    return article


# --- the policy answers the rule


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_available_actions_follow_the_rule(people, state, role):
    article = article_in(state, people)
    assert workflow.available_actions(article, people[role]) == EXPECTED[state][role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_check_and_can_agree_with_the_available_actions(people, state, role):
    """A refusal is a PermissionDenied exactly when it is about the person."""
    article, user = article_in(state, people), people[role]
    available = workflow.available_actions(article, user)
    for action in workflow.policy.RULES:
        assert workflow.can(action, article, by=user) is (action in available)
        if action in available:
            workflow.check(action, article, by=user)
            continue
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.check(action, article, by=user)
        about_the_person = not workflow.has_permission(action, article, by=user)
        assert isinstance(refused.value, PermissionDenied) is about_the_person
        assert str(refused.value)


@pytest.mark.django_db
def test_refusals_say_why(people):
    draft, in_review = article_in("draft", people), article_in("in_review", people)
    with pytest.raises(workflow.WorkflowPermissionDenied, match="Only a moderator"):
        workflow.check(APPROVE, in_review, by=people["editor"])
    with pytest.raises(workflow.WorkflowPermissionDenied, match="four-eyes"):
        workflow.check(APPROVE, in_review, by=people["writing_moderator"])
    with pytest.raises(workflow.WorkflowError, match="is draft, so it cannot be"):
        workflow.check(APPROVE, draft, by=people["moderator"])
    with pytest.raises(workflow.WorkflowError, match="by editor on .* cannot be"):
        workflow.check(EDIT, in_review, by=people["editor"])


@pytest.mark.django_db
def test_trusted_callers_without_a_person_skip_only_the_permission(people):
    """Management commands pass by=None: the article's state still counts."""
    workflow.check(EDIT, article_in("draft", people), by=None)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.check(EDIT, article_in("in_review", people), by=None)
    assert not isinstance(refused.value, PermissionDenied)


# --- every transition does exactly what the policy offers


def _changed_title(article, by):
    article.title = "Edited"
    article.save()
    return workflow.revise(article, by=by)


TRANSITIONS = {
    # name: (the state it starts from, a state that refuses it, action, run)
    "submit": ("draft", "in_review", SUBMIT, lambda a, by: workflow.submit(a, by=by)),
    "withdraw": (
        "in_review",
        "published",
        WITHDRAW,
        lambda a, by: workflow.withdraw(a, by=by),
    ),
    "approve": (
        "in_review",
        "published",
        APPROVE,
        lambda a, by: workflow.approve(a, by=by),
    ),
    "schedule": (
        "in_review",
        "changes_in_review",
        SCHEDULE,
        lambda a, by: workflow.approve(a, by=by, at=timezone.now() + timedelta(1)),
    ),
    "reject": (
        "in_review",
        "draft",
        REJECT,
        lambda a, by: workflow.reject(a, by=by, comment="Source it."),
    ),
    "unpublish": (
        "published",
        "draft",
        UNPUBLISH,
        lambda a, by: workflow.unpublish(a, by=by),
    ),
    "edit": ("published", "in_review", EDIT, _changed_title),
    "restore": (
        "draft",
        "scheduled",
        EDIT,
        lambda a, by: workflow.restore(a.revisions.get(number=1), by=by),
    ),
}


def footprint(article):
    fresh = Article.objects.get(pk=article.pk)
    return (
        fresh.status,
        fresh.live_revision_id,
        fresh.revisions.count(),
        TransitionLog.objects.filter(article=article).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_is_allowed_for_exactly_the_roles_the_policy_names(
    people, name, role
):
    state, _, action, run = TRANSITIONS[name]
    article, user = article_in(state, people), people[role]
    before = footprint(article)
    if action in EXPECTED[state][role]:
        run(article, user)
        assert footprint(article) != before
    else:
        # In its own starting state, a transition refuses only people.
        with pytest.raises(workflow.WorkflowPermissionDenied):
            run(article, user)
        assert footprint(article) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_each_transition_refuses_a_state_it_does_not_start_from(people, name, role):
    start, state, action, run = TRANSITIONS[name]
    article, user = article_in(state, people), people[role]
    before = footprint(article)
    with pytest.raises(workflow.WorkflowError) as refused:
        run(article, user)
    assert footprint(article) == before
    if action in EXPECTED[start][role] and role != "writing_moderator":
        # Someone allowed to do it elsewhere is refused for the state: no 403.
        assert not isinstance(refused.value, PermissionDenied)


# --- the screens offer what the policy offers

BUTTONS = {
    "submit/": SUBMIT,
    "#nr-submit": SUBMIT,  # the article page's own note and button
    "withdraw/": WITHDRAW,
    "review/": REVIEW,
    "unpublish/": UNPUBLISH,
    "share/": SHARE,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_the_article_page_offers_the_available_actions(client, people, state, role):
    article, user = article_in(state, people), people[role]
    client.force_login(user)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    if role == "nobody":  # in no group: may not even see the article
        assert response.status_code == 403
        return
    assert response.status_code == 200
    available = EXPECTED[state][role]
    page = lxml.html.fromstring(response.content.decode())
    base = f"/admin/articles/article/{article.pk}/"
    offered = [
        BUTTONS[href.removeprefix(base)]
        for href in page.xpath("//ul[@class='object-tools']//a/@href")
        if href.removeprefix(base) in BUTTONS
    ]
    assert offered == [action for action in available if action in BUTTONS.values()]
    editable = bool(page.xpath("//form[@id='article_form']//input[@name='title']"))
    assert editable is (EDIT in available)
    save_and_submit = bool(page.xpath("//input[@name='_submit']"))
    assert save_and_submit is (EDIT in available)  # every role that edits submits


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["in_review", "changes_in_review"])
@pytest.mark.parametrize("role", ["moderator", "writing_moderator", "superuser"])
def test_the_review_screen_offers_the_available_decisions(client, people, state, role):
    article, user = article_in(state, people), people[role]
    client.force_login(user)
    page = lxml.html.fromstring(
        client.get(f"/admin/articles/article/{article.pk}/review/").content.decode()
    )
    decisions = page.xpath("//input[@name='decision']/@value")
    assert decisions == [
        action
        for action in EXPECTED[state][role]
        if action in {APPROVE, SCHEDULE, REJECT}
    ]


def first_block(article) -> Block:
    blocks = Block.objects.filter(section__article=article)
    return blocks.order_by("section__position", "position").first()


@pytest.mark.django_db
def test_save_and_submit_without_the_permission_to_submit_saves_nothing(client):
    """The edit and the submission are one request: refused together, with a 403."""
    writer = UserFactory(username="writer", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "change_article", "view_desk"],
        )
    )
    article = make_article(author=writer, title="Before")
    client.force_login(writer)
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url)
    assert b'name="_submit"' not in page.content
    body = editor_body(page)
    body[0]["blocks"][0]["html"] = "An edited lede."
    data = {**with_body(form_data(page), body), "title": "After"}

    response = client.post(url, {**data, "_submit": "Save and submit for review"})

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status, article.revisions.count()) == (
        "Before",
        "draft",
        1,
    )
    assert first_block(article).text == "The lede."
    assert client.post(url, data).status_code == 302  # the edit alone is allowed
    article = Article.objects.get(pk=article.pk)
    assert article.title == "After"
    assert first_block(article).text == "An edited lede."
