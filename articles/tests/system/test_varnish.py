"""Varnish with deploy/varnish/newsroom.vcl in front of two app servers.

What readers get through it: published changes within a second (the app
purges by key), never a draft or an edit in review, editors' pages fresh,
tracking parameters ignored, purges only from trusted addresses, and cached
pages while the app servers are down.

Without varnishd and vmod xkey (apt-get install varnish varnish-modules) the
tests are skipped, saying so; under CI=true they fail instead.
"""

import time

import lxml.html
import psycopg
import pytest

from articles.testing import servers
from articles.testing.servers import Browser, wait_until

from ..helpers import require_tool
from . import admin_http
from .conftest import MODERATOR, NEW_TEXT, OLD_TEXT

# Purges are allowed from these (the app servers send from 127.0.0.1), not
# from other loopback addresses such as UNTRUSTED.
PURGERS = ["127.0.0.1", "127.0.0.2"]
UNTRUSTED = "127.0.0.3"


@pytest.fixture(scope="module")
def varnish_available():
    missing = servers.varnish_missing()
    require_tool(not missing, "the Varnish tests need " + "; ".join(missing))


@pytest.fixture
def stack(request, varnish_available, workdir, database_url, redis_server):
    """Start Varnish in front of app servers A and B; return (varnish, [A, B]).

    The app servers purge this Varnish by key. `env` adds to their
    environment (e.g. a shorter PAGE_CDN_MAX_AGE).
    """
    started = []

    def start(**env):
        number = servers.free_port()
        varnish = servers.VarnishServer(workdir / f"varnish-{number}", purgers=PURGERS)
        site = servers.site_env(
            database_url,
            redis_server.url,
            static_root=workdir / "static",
            PURGE_VARNISH_URLS=varnish.base,
            **env,
        )
        pair = [
            servers.AppServer(f"va-{number}", workdir, site),
            servers.AppServer(f"vb-{number}", workdir, site),
        ]
        started.extend(pair)
        for server in pair:
            server.start()
        for server in pair:
            server.wait_ready()
        started.append(varnish)
        varnish.start([server.base for server in pair])
        return varnish, pair

    yield start
    for server in reversed(started):
        server.stop()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for server in started:
            print(f"--- end of {server.log.name}\n{servers.tail(server.log)}")


def titles(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [" ".join(a.text_content().split()) for a in doc.xpath("//main//h2/a")]


def within_a_second(check, what: str) -> None:
    wait_until(check, timeout=1.0, interval=0.05, what=what)


def test_published_changes_show_within_a_second_drafts_and_edits_never(stack, content):
    varnish, (a, _b) = stack()
    reader = Browser(varnish.base)
    first = reader.get(content.story_url)
    assert first.status == 200 and first.headers["X-Cache"] == "MISS"
    again = reader.get(content.story_url)
    assert again.headers["X-Cache"] == "HIT" and again.body == first.body
    # An edit waits for review: readers keep the approved version.
    assert OLD_TEXT in again.text and NEW_TEXT not in again.text
    # The keys are for the cache, not for readers; the app sends them.
    assert "xkey" not in again.headers and "Surrogate-Key" not in again.headers
    direct = Browser(a.base).get(content.story_url).headers
    assert f"article-{content.story_pk}" in direct["xkey"].split()
    assert direct["Surrogate-Key"] == direct["xkey"]
    # Never published: a 404 that is not kept.
    for _ in range(2):
        missing = reader.get(content.fresh_url)
        assert missing.status == 404 and missing.headers["X-Cache"] != "HIT"
    reader.get(content.desk_url)
    assert reader.get(content.desk_url).headers["X-Cache"] == "HIT"
    assert "Fresh story" not in titles(reader.get(content.desk_url).text)

    moderator = Browser(varnish.base)  # editors use the same address
    moderator.login(*MODERATOR)
    # The moderator's own look at the edit in review reaches nobody else.
    assert moderator.get(f"/admin/articles/article/{content.story_pk}/review/")
    assert NEW_TEXT not in reader.get(content.story_url).text

    admin_http.approve(moderator, content.fresh_pk)  # a first publication
    within_a_second(
        lambda: reader.get(content.fresh_url).status == 200, "the new article"
    )
    within_a_second(
        lambda: "Fresh story" in titles(reader.get(content.desk_url).text),
        "the new article on its desk's page",
    )
    assert "Fresh story" in titles(reader.get("/").text)

    admin_http.approve(moderator, content.story_pk)  # an approved edit
    within_a_second(
        lambda: NEW_TEXT in reader.get(content.story_url).text, "the approved edit"
    )
    assert OLD_TEXT not in reader.get(content.story_url).text

    admin_http.unpublish(moderator, content.story_pk, "Taken down by a test.")
    within_a_second(
        lambda: reader.get(content.story_url).status == 404, "the unpublication"
    )
    assert "System story" not in titles(reader.get(content.desk_url).text)


def test_logged_in_editors_get_fresh_pages_readers_the_cached_ones(
    stack, content, database_url
):
    varnish, _pair = stack()
    reader = Browser(varnish.base)
    reader.get(content.desk_url)
    assert reader.get(content.desk_url).headers["X-Cache"] == "HIT"
    # A change that no purge hears of: only a fresh render shows it.
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "UPDATE articles_desk SET name = 'Renamed quietly' WHERE slug = 'world'"
        )
    moderator = Browser(varnish.base)
    moderator.login(*MODERATOR)
    for _ in range(2):
        page = moderator.get(content.desk_url)
        assert page.status == 200 and page.headers["X-Cache"] == "PASS"
        assert "Renamed quietly" in page.text
        assert page.headers["Cache-Control"] == "private, no-store"
    cached = reader.get(content.desk_url)
    assert cached.headers["X-Cache"] == "HIT"
    assert "Renamed quietly" not in cached.text


def test_tracking_parameters_hit_the_same_object_the_tables_own_do_not(stack, content):
    varnish, _pair = stack()
    reader = Browser(varnish.base)
    url = content.desk_url
    assert reader.get(url).headers["X-Cache"] == "MISS"
    for tracked in (
        f"{url}?utm_source=newsletter&utm_medium=email",
        f"{url}?fbclid=abc123",
        f"{url}?gclid=x&utm_campaign=spring",
    ):
        response = reader.get(tracked)
        assert response.headers["X-Cache"] == "HIT", tracked
        assert int(response.headers["Age"]) >= 0
    # The listings' and tables' own parameters make other pages.
    assert reader.get(f"{url}?page=2&utm_source=x").headers["X-Cache"] == "MISS"
    assert reader.get(f"{url}?page=2").headers["X-Cache"] == "HIT"
    story = content.seed_url
    assert reader.get(f"{story}?t1-sort=-value").headers["X-Cache"] == "MISS"
    assert reader.get(f"{story}?t1-sort=-value&fbclid=1").headers["X-Cache"] == "HIT"


def test_purges_only_from_trusted_addresses(stack, content):
    varnish, _pair = stack()
    reader = Browser(varnish.base)
    reader.get(content.story_url)
    assert reader.get(content.story_url).headers["X-Cache"] == "HIT"
    key = {"xkey-purge": f"article-{content.story_pk}"}

    untrusted = Browser(varnish.base, source=UNTRUSTED)
    assert untrusted.request("PURGE", "/", headers=key).status == 403
    assert untrusted.request("PURGE", content.story_url).status == 403
    assert reader.get(content.story_url).headers["X-Cache"] == "HIT"

    trusted = Browser(varnish.base, source="127.0.0.2")
    assert trusted.request("PURGE", "/", headers=key).status == 200
    assert reader.get(content.story_url).headers["X-Cache"] == "MISS"
    assert reader.get(content.story_url).headers["X-Cache"] == "HIT"
    assert trusted.request("PURGE", content.story_url).status == 200
    assert reader.get(content.story_url).headers["X-Cache"] == "MISS"
    assert reader.request("DELETE", content.story_url).status != 200


def all_sick(varnish) -> bool:
    """Whether `varnishadm backend.list` shows every app server as sick."""
    rows = [
        line.split()
        for line in varnish.admin("backend.list").splitlines()
        if line.startswith("boot.app_")
    ]
    return bool(rows) and all("sick" in row for row in rows)


def test_cached_pages_are_served_while_the_app_servers_are_down(stack, content):
    """Grace: expired pages stay available for a day when no backend is healthy."""
    varnish, pair = stack(PAGE_CDN_MAX_AGE="1")
    reader = Browser(varnish.base)
    pages = {url: reader.get(url) for url in ("/", content.story_url)}
    assert all(page.status == 200 for page in pages.values())
    for server in pair:
        server.stop()
    wait_until(
        lambda: all_sick(varnish),
        timeout=15,
        interval=0.5,
        what="Varnish's probe finding the app servers down",
    )
    time.sleep(1.5)  # past s-maxage: only grace keeps them
    for url, page in pages.items():
        response = reader.get(url)
        assert response.status == 200, url
        assert response.body == page.body
        assert response.headers["X-Cache"] == "HIT"
        assert int(response.headers["Age"]) >= 2
    assert reader.get(f"{content.desk_url}?page=3").status == 503  # never cached


def test_the_example_site_part_compiles_with_the_vcl(varnish_available, tmp_path):
    """deploy/varnish/newsroom-site.example.vcl stays in step with newsroom.vcl."""
    example = servers.VARNISH_VCL.parent / "newsroom-site.example.vcl"
    (tmp_path / "newsroom-site.vcl").write_text(example.read_text())
    servers.run(
        [
            servers.varnishd(),
            "-C",
            "-j",
            "none",
            "-n",
            tmp_path / "work",
            "-p",
            f"vcl_path={tmp_path}",
            "-f",
            servers.VARNISH_VCL,
        ],
        timeout=120,
    )
