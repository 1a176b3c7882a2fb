"""Fixtures of the system tests: real servers on loopback (see servers.py).

One private PostgreSQL cluster per session (never the machine's own, nor the
one DATABASE_URL names: the fault tests stop it) holds a migrated template
database with the demo content (`load_demo`, accounts included) and
`System story`, published with an old version and an edited one waiting for
review, and `Fresh story`, in review and never published. Each test gets its
own copy of that database, its own redis-server, and two gunicorn app servers,
A and B, sharing both in production mode.

Without PostgreSQL's server programs, redis-server or gunicorn the tests are
skipped, saying what is missing; under CI=true they fail instead. When a test
fails, the end of the servers' logs is printed with it.
"""

import itertools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from articles.testing import servers

from ..helpers import require_tool

TEMPLATE = "newsroom_template"
OLD_TEXT = "The old version of the system story."
NEW_TEXT = "The new version of the system story."
# Run by `manage.py shell -c` against the template database.
SETUP = f"""
import json
from django.contrib.auth import get_user_model
from articles import services, workflow
from articles.testing.bodies import paragraph
from articles.models import Article, Desk

users = get_user_model().objects
editor, moderator = users.get(username="editor"), users.get(username="moderator")
article = Article.objects.create(
    desk=Desk.objects.get(slug="world"), slug="system-story", title="System story",
    standfirst="A story the system tests publish.", byline="A. Reporter",
    created_by=editor,
)
for text in ({OLD_TEXT!r}, {NEW_TEXT!r}):
    services.replace_body(article, [{{"heading": "", "blocks": [paragraph(text)]}}])
    workflow.revise(article, by=editor)
    article = workflow.submit(article, by=editor)
    if text == {OLD_TEXT!r}:
        article = workflow.approve(article, by=moderator)
fresh = Article.objects.create(
    desk=Desk.objects.get(slug="world"), slug="fresh-story", title="Fresh story",
    standfirst="Never published before.", byline="A. Reporter", created_by=editor,
)
services.replace_body(fresh, [{{"heading": "", "blocks": [paragraph("First words.")]}}])
workflow.revise(fresh, by=editor)
fresh = workflow.submit(fresh, by=editor)
print(json.dumps({{
    "story_pk": article.pk, "story_url": article.get_absolute_url(),
    "fresh_pk": fresh.pk, "fresh_url": fresh.get_absolute_url(),
}}))
"""
MODERATOR = ("moderator", "newsroom-moderator")  # from load_demo (articles/demo.py)
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Content:
    story_pk: int  # published, with an edited version in review
    story_url: str
    fresh_pk: int  # in review, never published
    fresh_url: str
    seed_url: str = "/world/kazakh-president-joins-closed-csto-talks/"
    desk_url: str = "/world/"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def workdir():
    missing = servers.missing_tools()
    require_tool(not missing, "system tests need " + "; ".join(missing))
    directory = Path(tempfile.mkdtemp(prefix="newsroom-system-"))
    directory.chmod(0o755)  # PostgreSQL runs as another account when root
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(workdir):
    cluster = servers.PrivatePostgres(workdir / "postgres")
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def content(postgres, workdir) -> Content:
    """The template database, and the static files collected as for production."""
    env = servers.site_env(
        postgres.create_database(TEMPLATE), static_root=workdir / "static"
    )
    servers.manage("collectstatic", "--noinput", "-v", "0", env=env)
    servers.manage("migrate", "--noinput", "-v", "0", env=env)
    servers.manage("load_demo", env={**env, "DEBUG": "1"})
    output = servers.manage("shell", "-c", SETUP, env=env)
    return Content(**json.loads(output.strip().splitlines()[-1]))


@pytest.fixture
def database_url(postgres, content):
    """A fresh copy of the template database, dropped afterwards."""
    postgres.ensure_running()
    name = f"newsroom_test_{next(_numbers)}"
    url = postgres.create_database(name, template=TEMPLATE)
    yield url
    postgres.ensure_running()  # a fault test may have stopped it
    postgres.drop_database(name)


@pytest.fixture
def redis_server(workdir):
    server = servers.RedisServer(workdir / f"redis-{next(_numbers)}")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def app_servers(request, workdir, database_url, redis_server):
    """Servers A and B: gunicorn, 2 sync workers each, one database, one Redis."""
    env = servers.site_env(
        database_url, redis_server.url, static_root=workdir / "static"
    )
    number = next(_numbers)
    # A keeps one connection per worker (CONN_MAX_AGE), B a psycopg pool per
    # worker (DB_POOL): both ways of keeping connections in production.
    pooled = {**env, "CONN_MAX_AGE": "0", "DB_POOL": "1", "DB_POOL_MAX_SIZE": "2"}
    pair = [
        servers.AppServer(f"a-{number}", workdir, env),
        servers.AppServer(f"b-{number}", workdir, pooled),
    ]
    try:
        for server in pair:
            server.start()
        for server in pair:
            server.wait_ready()
        yield pair
    finally:
        for server in pair:
            server.stop()
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            for server in pair:
                print(f"--- end of {server.log.name}\n{servers.tail(server.log)}")


@pytest.fixture
def moderator_at(app_servers):
    """Log the demo moderator in to an app server over HTTP; return the browser."""

    def login(server) -> servers.Browser:
        browser = servers.Browser(server.base)
        browser.login(*MODERATOR)
        return browser

    return login
