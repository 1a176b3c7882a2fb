"""Who may do what: every role against every workflow action and staff URL.

Requests are made directly (as a script bypassing the pages would), so each
refusal is the server's. An allowed action must take effect; one refused to
the person is answered 403 (or a login redirect), one refused because of the
article's state is a redirect with the reason; either leaves the article as
it was.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, PreviewLink
from articles.testing.factories import UserFactory, make_article

from .admin_forms import editor_body, form_data, with_body
from .conftest import member_of

ROLES = [
    "anonymous",
    "editor",
    "other_editor",
    "moderator",
    "authoring_moderator",
    "superuser",
    "nobody",  # staff, in no group
]
STAFF = set(ROLES) - {"anonymous", "nobody"}
MODERATORS = {"moderator", "authoring_moderator", "superuser"}


@pytest.fixture
def people(db):
    return {
        "anonymous": None,
        "editor": member_of(workflow.EDITORS, "editor"),
        "other_editor": member_of(workflow.EDITORS, "other_editor"),
        "moderator": member_of(workflow.MODERATORS, "moderator"),
        "authoring_moderator": member_of(workflow.MODERATORS, "authoring_moderator"),
        "superuser": UserFactory(username="chief", is_staff=True, is_superuser=True),
        "nobody": UserFactory(username="nobody", is_staff=True),
    }


def article_in(state: str, people) -> Article:
    """An article by `editor`, whose current version `authoring_moderator` wrote."""
    article = make_article(author=people["authoring_moderator"])
    Article.objects.filter(pk=article.pk).update(created_by=people["editor"])
    if state == "draft":
        return Article.objects.get(pk=article.pk)
    article = workflow.submit(article, by=people["editor"])
    if state == "in_review":
        return article
    article = workflow.approve(article, by=people["superuser"])
    assert state == "published"
    return article


@dataclass
class Case:
    state: str
    method: str
    path: str  # relative to the article's admin URL, or absolute when it starts with /
    allowed: set
    effect: Callable[[Article], bool] | None = None  # did it happen?
    data: Callable | None = None  # POST data, given the client and the article
    # Who may do it, were the article in the right state (default: `allowed`).
    permitted: set = field(default_factory=set)


def current_number(article):
    return article.current_revision().number


EDITED_LEDE = "An edited lede."


def edited_body(client, article) -> dict:
    """The article's page as its form is sent after the lede is edited."""
    page = client.get(admin_url(article, "change/"))
    body = editor_body(page)
    body[0]["blocks"][0]["html"] = EDITED_LEDE
    return with_body(form_data(page), body)


def lede(article) -> str:
    return article.current_revision().snapshot["sections"][0]["blocks"][0]["html"]


CASES = {
    "open the editor": Case("draft", "get", "change/", STAFF),
    "save an edit": Case(
        "draft",
        "post",
        "change/",
        STAFF,
        effect=lambda a: a.revisions.count() == 2,
        data=lambda client, a: {
            **form_data(client.get(admin_url(a, "change/"))),
            "title": "Edited",
        },
    ),
    "save an edit of the body": Case(
        "draft",
        "post",
        "change/",
        STAFF,
        effect=lambda a: lede(a) == EDITED_LEDE,
        data=edited_body,
    ),
    "submit": Case(
        "draft", "post", "submit/", STAFF, effect=lambda a: a.status == "in_review"
    ),
    "withdraw": Case(
        "in_review",
        "post",
        "withdraw/",
        {"editor", *MODERATORS},
        effect=lambda a: a.status == "draft",
    ),
    "open the review screen": Case("in_review", "get", "review/", MODERATORS),
    "approve": Case(
        "in_review",
        "post",
        "review/",
        {"moderator", "superuser"},
        effect=lambda a: a.status == "published",
        data=lambda client, a: {
            "decision": "approve",
            "reviewed_revision": current_number(a),
        },
    ),
    "schedule": Case(
        "in_review",
        "post",
        "review/",
        {"moderator", "superuser"},
        effect=lambda a: a.status == "scheduled",
        data=lambda client, a: {
            "decision": "schedule",
            "publish_at": f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}",
            "reviewed_revision": current_number(a),
        },
    ),
    "reject": Case(
        "in_review",
        "post",
        "review/",
        MODERATORS,
        effect=lambda a: a.status == "draft",
        data=lambda client, a: {
            "decision": "reject",
            "comment": "Needs work",
            "reviewed_revision": current_number(a),
        },
    ),
    "unpublish": Case(
        "published",
        "post",
        "unpublish/",
        MODERATORS,
        effect=lambda a: a.status == "unpublished",
    ),
    "submit what is in review": Case(
        "in_review",
        "post",
        "submit/",
        set(),
        effect=lambda a: a.transitions.filter(action="submit").count() > 1,
        permitted=STAFF,
    ),
    "unpublish a draft": Case(
        "draft",
        "post",
        "unpublish/",
        set(),
        effect=lambda a: a.status == "unpublished",
        permitted=MODERATORS,
    ),
    "see the revisions": Case("draft", "get", "revisions/", STAFF),
    "compare revisions": Case("draft", "get", "revisions/compare/?from=1&to=1", STAFF),
    "preview a revision": Case("draft", "get", "revisions/1/", STAFF),
    "restore a revision": Case(
        "draft",
        "post",
        "revisions/1/restore/",
        STAFF,
        effect=lambda a: a.revisions.count() == 2,
    ),
    # Editors share their own articles (NEWSROOM_EDITORS_MAY_SHARE).
    "create a share link": Case(
        "draft",
        "post",
        "share/",
        {"editor", *MODERATORS},
        effect=lambda a: PreviewLink.objects.filter(article=a).exists(),
        data=lambda client, a: {"days": 3},
    ),
    "see the share links": Case("draft", "get", "share/", {"editor", *MODERATORS}),
    "revoke a share link": Case(
        "draft",
        "post",
        "share/",
        {"editor", *MODERATORS},
        effect=lambda a: PreviewLink.objects.filter(
            article=a, revoked_at__isnull=False
        ).exists(),
        data=lambda client, a: {"revoke": share_link(a).pk, "confirmed": "yes"},
    ),
    "delete the article": Case(
        "draft",
        "post",
        "delete/",
        MODERATORS,
        effect=lambda a: not Article.objects.filter(pk=a.pk).exists(),
        data=lambda client, a: {"post": "yes"},
    ),
    "see the moderation queue": Case(
        "draft", "get", "/admin/articles/article/queue/", MODERATORS
    ),
    "see the dashboard": Case(
        "draft", "get", "/admin/articles/article/dashboard/", STAFF
    ),
}


def share_link(article) -> PreviewLink:
    return PreviewLink.objects.create(
        article=article,
        revision=article.current_revision(),
        expires_at=timezone.now() + timedelta(days=1),
    )


def admin_url(article, path):
    return (
        path if path.startswith("/") else f"/admin/articles/article/{article.pk}/{path}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(CASES))
def test_role_may_do_only_what_it_should(client, people, action, role):
    case = CASES[action]
    article = article_in(case.state, people)
    if action == "restore a revision":  # make revision 1 an older one
        article.title = "Second version"
        article.save()
        workflow.revise(article, by=people["editor"])
        case = Case(**{**case.__dict__, "effect": lambda a: a.revisions.count() == 3})
    if people[role] is not None:
        client.force_login(people[role])
    url = admin_url(article, case.path)
    if case.method == "get":
        response = client.get(url)
    else:
        reader = client
        if role == "nobody":  # may not open the form: post it as others see it
            reader = Client()
            reader.force_login(people["superuser"])
        data = case.data(reader, article) if case.data and people[role] else {}
        response = client.post(url, data)

    allowed = role in case.allowed
    if role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    elif role not in (case.permitted or case.allowed):
        assert response.status_code == 403, response.status_code
    elif not allowed:  # refused because of the article's state
        assert response.status_code == 302, response.status_code
    elif case.method == "get":
        assert response.status_code == 200
    if case.effect is not None:
        fresh = Article.objects.filter(pk=article.pk).first() or article
        assert case.effect(fresh) is allowed, f"{role} / {action}"


# --- editors' preview links, and links that lead nowhere


def text_of(response) -> str:
    return " ".join(
        lxml.html.fromstring(response.content.decode()).text_content().split()
    )


@pytest.mark.django_db
def test_an_editor_shares_copies_and_revokes_a_preview_of_their_draft(client, people):
    article = article_in("draft", people)
    client.force_login(people["editor"])
    share = admin_url(article, "share/")
    page = lxml.html.fromstring(client.get(admin_url(article, "change/")).content)
    assert page.xpath(f"//ul[@class='object-tools']//a[@href='{share}']")

    assert client.post(share, {"days": 2}).status_code == 302
    link = PreviewLink.objects.get(article=article)
    assert link.created_by == people["editor"]
    page = lxml.html.fromstring(client.get(share).content.decode())
    (field,) = page.xpath("//input[@readonly][contains(@class, 'nr-link-field')]")
    url = field.get("value")
    assert url.endswith(f"/preview/{link.token}/") and not field.get("size")
    assert page.get_element_by_id(field.get("id")).tag == "input"
    assert page.xpath(f"//label[@for='{field.get('id')}']")
    assert page.xpath(f"//button[@data-copy='{field.get('id')}'][@hidden]")
    assert "Active" in text_of(client.get(share))

    reader = Client()  # logged out: the link is for people without an account
    assert reader.get(url).status_code == 200

    # Revoking asks first; the link works until it is confirmed.
    confirm = client.post(share, {"revoke": link.pk})
    assert confirm.status_code == 200
    assert 'value="Yes, revoke it"' in confirm.content.decode()
    assert reader.get(url).status_code == 200
    assert (
        client.post(share, {"revoke": link.pk, "confirmed": "yes"}).status_code == 302
    )
    assert reader.get(url).status_code in (404, 410)
    text = text_of(client.get(share))
    assert "Revoked" in text and url not in text


@pytest.mark.django_db
def test_an_editor_may_not_share_another_editors_article(client, people):
    article = article_in("draft", people)
    client.force_login(people["other_editor"])
    assert client.get(admin_url(article, "share/")).status_code == 403
    assert client.post(admin_url(article, "share/"), {"days": 2}).status_code == 403
    link = share_link(article)
    response = client.post(
        admin_url(article, "share/"), {"revoke": link.pk, "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert not PreviewLink.objects.filter(revoked_at__isnull=False).exists()
    page = client.get(admin_url(article, "change/")).content.decode()
    assert admin_url(article, "share/") not in page


@pytest.mark.django_db
def test_sharing_stays_with_moderators_when_the_setting_says_so(
    client, people, settings
):
    settings.NEWSROOM_EDITORS_MAY_SHARE = False
    article = article_in("draft", people)
    client.force_login(people["editor"])
    assert client.post(admin_url(article, "share/"), {"days": 2}).status_code == 403
    assert not PreviewLink.objects.exists()
    page = client.get(admin_url(article, "change/")).content.decode()
    assert admin_url(article, "share/") not in page
    client.force_login(people["moderator"])
    assert client.post(admin_url(article, "share/"), {"days": 2}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "other_editor", "moderator"])
@pytest.mark.parametrize("state", ["draft", "in_review", "published"])
def test_no_link_on_the_article_page_leads_to_a_403(client, people, role, state):
    """Every link the article's page shows opens for the person it is shown to."""
    article = article_in(state, people)
    client.force_login(people[role])
    page = lxml.html.fromstring(client.get(admin_url(article, "change/")).content)
    hrefs = {
        href.split("#")[0]
        for href in page.xpath("//a/@href")
        if href.startswith("/admin/") and "/logout/" not in href
    }
    assert hrefs
    for href in sorted(hrefs):
        assert client.get(href).status_code != 403, href


@pytest.mark.django_db
def test_the_author_is_a_link_only_for_who_may_open_accounts(client, people):
    article = article_in("draft", people)
    account = f"/admin/auth/user/{people['editor'].pk}/change/"
    client.force_login(people["editor"])
    page = client.get(admin_url(article, "change/")).content.decode()
    assert account not in page
    assert "editor" in text_of(client.get(admin_url(article, "change/")))
    client.force_login(people["superuser"])
    assert account in client.get(admin_url(article, "change/")).content.decode()
