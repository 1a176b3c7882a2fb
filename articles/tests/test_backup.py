"""export_content and import_content: everything comes back, or nothing is written."""

import datetime
import gzip
import io
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles import revisions, services, workflow
from articles.importing.load import import_document
from articles.models import (
    Article,
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Correction,
    Desk,
    ImportedSource,
    PreviewLink,
    Revision,
    Section,
    TransitionLog,
)
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import DeskFactory, UserFactory, make_article
from newsroom import backup

PASSWORD = "correct horse battery staple"  # UserFactory's
Status = Article.Status
LEGACY_HTML = """<html><head><title>Port figures</title></head><body><article>
<h1>Port figures</h1><p>Cargo rose.</p><table><caption>Cargo</caption>
<tr><th>Port</th><th>Tonnes</th></tr><tr><td>Aktau</td><td>2.4</td></tr></table>
</article></body></html>"""
# Every kind of row the round trip must prove it keeps.
CONTENT_MODELS = [
    Desk,
    Article,
    Section,
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Revision,
    TransitionLog,
    Correction,
    PreviewLink,
    ImportedSource,
]


def body(tonnes: str) -> list[dict]:
    return [
        {
            "heading": "",
            "blocks": [
                paragraph("The <b>lede</b> — “quoted”, ünïcödé,\u2028and a separator.")
            ],
        },
        {
            "heading": "Figures",
            "blocks": [
                bullets("First", "Second", ordered=True),
                table(
                    "Cargo by port",
                    [
                        "Port",
                        {
                            "label": "Cargo",
                            "kind": "number",
                            "unit": "million t",
                            "decimals": 1,
                            "align": "right",
                        },
                    ],
                    [["Aktau", tonnes], ["Baku", "3.1"]],
                    source_note="Port authority",
                    source_url="https://example.org/ports",
                    source_retrieved="2024-03-01",
                    row_headers=False,
                ),
            ],
        },
    ]


def edit(article, by, tonnes: str, note: str = "") -> None:
    services.replace_body(article, body(tonnes))
    workflow.revise(article, by=by, note=note)


def publish(article, *, editor, moderator, correction: str = "") -> Article:
    workflow.submit(article, by=editor)
    return workflow.approve(article, by=moderator, correction=correction)


@pytest.fixture
def newsroom(editor, other_editor, moderator, superuser, desk):
    """Desks, articles in every state with their history, and people in every role."""
    business = DeskFactory(
        name="Business", slug="business", description="Money.", position=2
    )
    culture = DeskFactory(name="Culture", slug="culture", position=3)
    interns = Group.objects.create(name="Interns")
    interns.permissions.add(Permission.objects.get(codename="view_article"))
    former = UserFactory(
        username="former",
        first_name="Ada",
        last_name="Former",
        email="ada@example.org",
        is_active=False,
        last_login=timezone.now(),
    )
    former.groups.add(interns)
    former.user_permissions.add(Permission.objects.get(codename="view_desk"))

    def article(title, desk=desk, tonnes="2.4"):
        made = make_article(
            body(tonnes),
            author=editor,
            desk=desk,
            title=title,
            standfirst=f"About {title.lower()}.",
            source_credit="Caspian Post",
        )
        return made

    draft = article("A draft")
    PreviewLink.objects.create(
        article=draft,
        revision=draft.current_revision(),
        created_by=editor,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    PreviewLink.objects.create(
        article=draft,
        revision=draft.current_revision(),
        created_by=editor,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        revoked_at=timezone.now(),
    )
    revisions.keep_aside(
        draft,
        {**revisions.snapshot(draft), "title": "Someone else's title"},
        author=other_editor,
        base=draft.current_revision(),
        note="Saved from an outdated page",
    )

    in_review = article("In review", desk=business)
    workflow.submit(in_review, by=editor, comment="Ready.")

    scheduled = article("Scheduled", desk=business)
    workflow.submit(scheduled, by=editor)
    workflow.approve(
        scheduled, by=moderator, at=timezone.now() + datetime.timedelta(days=2)
    )

    # Published, corrected, then edited again: a draft readers still see.
    published = publish(article("Published"), editor=editor, moderator=moderator)
    edit(published, editor, "2.5", note="Fix the Aktau figure")
    publish(
        published,
        editor=editor,
        moderator=moderator,
        correction="An earlier version gave the wrong figure for Aktau.",
    )
    edit(published, editor, "2.6")
    workflow.restore(published.revisions.get(number=1), by=other_editor)

    live = publish(article("Live", desk=business), editor=editor, moderator=moderator)

    unpublished = publish(article("Unpublished"), editor=editor, moderator=moderator)
    workflow.unpublish(unpublished, by=moderator, comment="Legal asked.")

    rejected = article("Rejected", desk=culture)
    workflow.submit(rejected, by=editor)
    workflow.reject(rejected, by=moderator, comment="Needs a second source.")

    imported = import_document(
        LEGACY_HTML, name="legacy/ports.html", desk=culture, by=editor
    ).article

    articles = {
        "draft": draft,
        "in_review": in_review,
        "scheduled": scheduled,
        "published": published,
        "live": live,
        "unpublished": unpublished,
        "rejected": rejected,
        "imported": imported,
    }
    return {name: Article.objects.get(pk=a.pk) for name, a in articles.items()}


def database_state() -> dict:
    """Every row of every content model, and the people, as plain values."""
    User = get_user_model()
    state = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_app_config("articles").get_models()
    }
    state["users"] = list(User.objects.order_by("pk").values())
    state["memberships"] = sorted(
        User.groups.through.objects.values_list("user__username", "group__name")
    )
    state["user permissions"] = sorted(
        User.user_permissions.through.objects.values_list(
            "user__username",
            "permission__content_type__app_label",
            "permission__codename",
        )
    )
    state["groups"] = {
        group.name: sorted(
            group.permissions.values_list("content_type__app_label", "codename")
        )
        for group in Group.objects.all()
    }
    return state


def wipe() -> None:
    """Delete all content and people, and strip the roles of their permissions."""
    Correction.objects.all().delete()  # they protect their revisions
    # One statement: a published article must keep its live revision, which
    # deleting the revisions would clear.
    Article.objects.update(status=Status.DRAFT, live_revision=None)
    Article.objects.all().delete()
    Desk.objects.all().delete()
    get_user_model().objects.all().delete()
    Group.objects.exclude(name__in=[workflow.EDITORS, workflow.MODERATORS]).delete()
    for role in Group.objects.all():
        role.permissions.clear()


def new_database() -> None:
    """Empty every table, reset the sequences and make the roles, as after `migrate`."""
    call_command("flush", "--no-input", verbosity=0)
    import_module("articles.migrations.0003_roles").create_roles(apps, None)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def public_page(article) -> bytes:
    cache.clear()
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content


@pytest.fixture
def export(tmp_path, newsroom):
    """The newsroom, exported to a file; returns its path."""
    path = tmp_path / "content.jsonl"
    run("export_content", path)
    return path


@pytest.mark.django_db(transaction=True)
def test_import_restores_every_row_of_an_export(tmp_path, newsroom):
    """Export, empty database, import: every row and every field is as it was."""
    assert all(model.objects.exists() for model in CONTENT_MODELS)
    assert Revision.objects.filter(conflicted=True).exists()
    assert {a.status for a in newsroom.values()} == {
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.SCHEDULED,
        Status.PUBLISHED,
        Status.UNPUBLISHED,
    }
    published, draft = newsroom["published"], newsroom["draft"]
    assert published.live_revision and published.status == Status.DRAFT
    before = database_state()
    pages = [public_page(published), public_page(newsroom["live"])]
    token = draft.preview_links.filter(revoked_at=None).get().token
    path = tmp_path / "content.jsonl"

    exported = run("export_content", path)
    new_database()
    assert not any(model.objects.exists() for model in CONTENT_MODELS)
    imported = run("import_content", path)

    assert database_state() == before
    assert "8  articles" in exported and "8  articles" in imported
    assert [public_page(published), public_page(newsroom["live"])] == pages
    assert PreviewLink.from_token(token).article == draft
    client = Client()
    assert client.login(username="editor", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    User = get_user_model()
    editor, moderator = (
        User.objects.get(username="editor"),
        User.objects.get(username="moderator"),
    )
    assert editor.has_perm("articles.submit_article")
    assert not editor.has_perm("articles.moderate_article")
    assert moderator.has_perm("articles.moderate_article")
    assert User.objects.get(username="chief").is_superuser
    # The sequences continue after the imported rows.
    new = make_article(author=editor, desk=Desk.objects.get(slug="culture"))
    UserFactory(username="newcomer")
    assert new.pk > max(row["id"] for row in before["articles.Article"])


@pytest.mark.django_db
def test_export_is_versioned_json_lines_with_usernames(export):
    """The file opens with its header, names people, and ends with its counts."""
    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    header, *objects, end = lines
    assert header["format"] == "newsroom-content" and header["version"] == 1
    assert "0003_roles" in header["migrations"]["articles"]
    assert end["end"]["counts"]["articles.article"] == 8
    user = next(o for o in objects if o["model"] == "auth.user")
    assert user["fields"]["password"].startswith("md5$")  # a hash, never the password
    article = next(o for o in objects if o["model"] == "articles.article")
    assert article["fields"]["created_by"] == ["editor"]
    editors = next(o for o in objects if o["fields"].get("name") == "Editors")
    assert ["submit_article", "articles", "article"] in editors["fields"]["permissions"]


@pytest.mark.django_db
def test_gzipped_export_round_trips(tmp_path, newsroom):
    """A FILE ending in .gz is gzipped, and imports the same."""
    before = database_state()
    path = tmp_path / "content.jsonl.gz"
    run("export_content", path)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    wipe()
    run("import_content", path)
    assert database_state() == before


@pytest.mark.django_db
def test_people_are_matched_by_username(export):
    """Existing accounts are updated, and content follows people whose pk changed."""
    User = get_user_model()
    authors = sorted(
        Article.objects.values_list("title", "created_by__username", "desk__slug")
    )
    old_moderator = User.objects.get(username="moderator").pk
    wipe()
    editor = UserFactory(username="editor", password="another password")
    ops = User.objects.create(pk=old_moderator, username="ops")

    run("import_content", export)

    assert User.objects.get(username="editor").pk == editor.pk
    assert Client().login(username="editor", password=PASSWORD)
    assert User.objects.get(pk=old_moderator).username == "ops" == ops.username
    moderator = User.objects.get(username="moderator")
    assert moderator.pk != old_moderator and moderator.groups.get().name == "Moderators"
    assert (
        sorted(
            Article.objects.values_list("title", "created_by__username", "desk__slug")
        )
        == authors
    )
    approvals = TransitionLog.objects.filter(action=TransitionLog.Action.APPROVE)
    assert {log.by for log in approvals} == {moderator}


@pytest.mark.django_db
def test_import_into_a_database_with_content_is_refused(export):
    """Nothing is imported, and nothing changes, where content exists."""
    before = database_state()
    with pytest.raises(CommandError, match="already holds content.*--replace"):
        run("import_content", export)
    assert database_state() == before


@pytest.mark.django_db
def test_replace_deletes_existing_content_first(export, newsroom, editor, moderator):
    """--replace empties the content tables, then loads the file, in one go."""
    before = database_state()
    extra = make_article(author=editor, desk=DeskFactory(name="Extra"))
    publish(extra, editor=editor, moderator=moderator)
    Correction.objects.all().delete()
    newsroom["draft"].sections.first().delete()

    run("import_content", export, "--replace")

    assert database_state() == before


def rewrite(path, change) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), "utf-8")


def refused(path, message: str) -> None:
    """Importing `path` into a database without content fails and writes nothing."""
    wipe()
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run("import_content", path)
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        (lambda lines: lines[: len(lines) // 2], "cut short"),
        (lambda lines: lines[:-1], "cut short"),
        (lambda lines: [*lines, lines[5]], "more after the last line"),
        (lambda lines: [*lines[:9], lines[9][:40] + "\n", *lines[10:]], "Line 10: not"),
        (lambda lines: [*lines[:9], *lines[10:]], "damaged: it should hold"),
        (lambda lines: ["garbage\n", *lines[1:]], "not a Newsroom content export"),
        (lambda lines: [], "not a Newsroom content export"),
    ],
    ids=["half", "no-end", "after-end", "bad-json", "missing-line", "header", "empty"],
)
def test_a_damaged_file_is_refused(export, change, message):
    rewrite(export, change)
    refused(export, message)


@pytest.mark.django_db
def test_another_version_of_the_format_is_refused(export):
    def version_2(lines):
        header = json.loads(lines[0])
        return [json.dumps({**header, "version": 2}) + "\n", *lines[1:]]

    rewrite(export, version_2)
    refused(export, "version 2 of the format; this Newsroom reads version 1 only")


@pytest.mark.django_db
def test_an_export_from_a_newer_schema_is_refused(export):
    def newer(lines):
        header = json.loads(lines[0])
        header["migrations"]["articles"].append("0999_future")
        return [json.dumps(header) + "\n", *lines[1:]]

    rewrite(export, newer)
    refused(export, "articles.0999_future")


@pytest.mark.django_db
def test_a_reference_to_a_missing_row_is_refused(export):
    def orphan_section(lines):
        for line in lines:
            data = json.loads(line)
            if data.get("model") == "articles.section":
                data["fields"]["article"] = 999_999
                line = json.dumps(data) + "\n"
            yield line

    rewrite(export, orphan_section)
    refused(export, "refers to rows it does not hold|database refused")


@pytest.mark.django_db
def test_a_reference_to_a_missing_person_is_refused(export):
    def without_editor(lines):
        return [line for line in lines if '"username": "editor"' not in line]

    rewrite(export, without_editor)
    refused(export, "refers to the user 'editor', who is not in the file")


@pytest.mark.django_db
def test_an_object_of_another_kind_is_refused(export):
    def session(lines):
        data = {"model": "sessions.session", "pk": "x", "fields": {}}
        return [*lines[:-1], json.dumps(data) + "\n", lines[-1]]

    rewrite(export, session)
    refused(export, "'sessions.session' is not part of a content export")


@pytest.mark.django_db
def test_a_damaged_gzip_file_is_refused(tmp_path, newsroom):
    path = tmp_path / "content.jsonl.gz"
    run("export_content", path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, "cannot be read|cut short")


@pytest.mark.django_db
def test_a_gzip_file_of_something_else_is_refused(tmp_path, db):
    path = tmp_path / "content.jsonl.gz"
    path.write_bytes(gzip.compress(b"\x00\xff" * 100))
    refused(path, "not a Newsroom content export|cannot be read")


def test_content_models_come_after_the_models_they_need():
    """Parents first; the article/live revision cycle is broken at the article."""
    order = backup.content_models()
    assert set(order) == set(apps.get_app_config("articles").get_models())
    for model in order:
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model in order and not field.null:
                assert order.index(field.related_model) < order.index(model), field
    assert order.index(Article) < order.index(Revision) < order.index(TransitionLog)
