"""The production set-up: deploy checks, headers and CSP, login throttling,
/healthz, request size limits, hashed static files, JSON logs, the replica router.

Settings read at start-up are checked in a fresh `manage.py` process with the
environment a deployment would have.
"""

import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.importing.load import import_document
from articles.models import Article
from articles.testing.factories import DeskFactory, UserFactory
from newsroom.logs import JsonFormatter
from newsroom.security import CSPMiddleware, client_ip

from .test_editor_browser import PASSWORD, log_in, watch

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_URL = "/world/kazakh-president-joins-closed-csto-talks/"
IMPORTED_HTML = """<!doctype html><html><head><title>Port figures</title></head>
<body><article><h1>Port figures</h1><p>Cargo rose.</p><table><caption>Cargo</caption>
<tr><th>Port</th><th>Tonnes</th></tr><tr><td>Aktau</td><td>2.4</td></tr></table>
</article></body></html>"""


def example_environment() -> dict:
    """The documented production variables (.env.example), with a real key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV", "SYSTEMROOT")
    }
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process (logs are JSON lines on stdout too)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_deploy_check_passes_with_the_documented_production_variables():
    done = manage(
        "check", "--deploy", "--fail-level", "DEBUG", env=example_environment()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_the_deploy_check_complains_when_https_is_turned_off():
    """The check is real: the same variables with HTTPS cookies off fail it."""
    env = {**example_environment(), "SESSION_COOKIE_SECURE": "0"}
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode != 0
    assert "security.W012" in done.stderr + done.stdout


# --- headers and the Content Security Policy


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
def test_public_pages_send_security_headers_and_a_strict_csp(client, demo_content):
    response = client.get(SAMPLE_URL, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def _csp_decorated(decorator):
    def view(request):
        return HttpResponse("x")

    return decorator(view)


CSP_VIEWS = {
    "plain": lambda request: HttpResponse("x"),
    "replace": _csp_decorated(csp_replace({"frame-ancestors": None})),
    "update": _csp_decorated(csp_update({"img-src": ["https://example.org"]})),
    "exempt": _csp_decorated(csp_exempt()),
    "nonce": lambda request: HttpResponse(str(request.csp_nonce)),
    "missing": lambda request: HttpResponse("no", status=404),
}


@pytest.mark.parametrize("view", CSP_VIEWS)
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"DEBUG": True},
        {"CONTENT_SECURITY_POLICY_REPORT_ONLY": {"DIRECTIVES": {"img-src": ["*"]}}},
        {
            "CONTENT_SECURITY_POLICY": {
                "EXCLUDE_URL_PREFIXES": ["/excluded"],
                "DIRECTIVES": {"default-src": ["'self'", "https://cdn.example"]},
            }
        },
    ],
)
@pytest.mark.parametrize("path", ["/page/", "/excluded/page/"])
def test_the_csp_middleware_sends_what_django_csp_would(view, changes, path):
    """newsroom.security.CSPMiddleware reuses the settings' policy; its
    headers are django-csp's own, whatever the view, the settings or the path."""

    def headers(middleware_class) -> dict:
        request = RequestFactory().get(path)
        response = middleware_class(CSP_VIEWS[view])(request)
        return {
            name: value
            for name, value in response.items()
            if name.startswith("Content-Security-Policy")
        }

    with override_settings(**changes):
        ours, theirs = headers(CSPMiddleware), headers(DjangoCSPMiddleware)
        assert ours == theirs
        if path == "/page/" and "DEBUG" not in changes and view != "exempt":
            assert ours  # a policy to compare, not two empty sets of headers
    # The settings' policy is built again once they change back.
    assert headers(CSPMiddleware) == headers(DjangoCSPMiddleware)


@pytest.mark.django_db
def test_the_table_embed_may_be_framed_by_other_sites(client, demo_content):
    response = client.get(f"{SAMPLE_URL}table-1/embed/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors" not in csp(response)
    assert csp(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_pages_hold_no_inline_script_or_style(admin_client, client, demo_content):
    """What CSP would block: inline <script>, on* handlers and style attributes."""
    import lxml.html

    article = Article.objects.get(slug="kazakh-president-joins-closed-csto-talks")
    pages = {
        url: client.get(url) for url in [SAMPLE_URL, "/", "/world/", "/search/?q=csto"]
    } | {
        url: admin_client.get(url)
        for url in [
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:articles_article_queue"),
            reverse("admin:articles_article_revisions", args=[article.pk]),
        ]
    }
    for url, response in pages.items():
        assert response.status_code == 200, url
        doc = lxml.html.fromstring(response.content)
        inline = [
            lxml.html.tostring(script)[:120]
            for script in doc.xpath("//script[not(@src)]")
            if script.get("type") not in ("application/json", "application/ld+json")
        ]
        assert inline == [], url
        assert doc.xpath("//@*[starts-with(name(), 'on')]") == [], url
        assert doc.xpath("//@style") == [], url


@pytest.mark.django_db(transaction=True)
def test_the_editor_and_public_pages_run_under_the_csp_without_violations(
    page, live_server, editor, demo_content
):
    """Chromium enforces the policy: our scripts and the admin's obey."""
    problems = watch(page)
    log_in(page, live_server, editor)
    article = Article.objects.get(slug="kazakh-president-joins-closed-csto-talks")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    # Built by static/js/grid/grid.js (a module): the editor's scripts ran.
    expect(page.locator(".nr-grid-sheet").first).to_be_attached()
    page.goto(f"{live_server.url}{SAMPLE_URL}")
    page.get_by_role("link", name=re.compile("^Sort by")).first.click()
    expect(page.locator("th[aria-sort]").first).to_be_attached()
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_imported_source_page_shows_the_import_in_its_frame(
    page, live_server, editor
):
    """The source page frames the imported revision's preview: same origin only."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "frame" in message.text
            else None
        ),
    )
    editor.set_password(PASSWORD)
    editor.save()
    import_document(IMPORTED_HTML, name="ports.html", desk=DeskFactory(), by=editor)
    article = Article.objects.get()
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/source/")
    result = page.frame_locator("iframe.nr-result")
    expect(result.get_by_role("heading", name="Port figures")).to_be_visible()
    expect(result.get_by_text("Aktau")).to_be_visible()
    assert problems == []


@pytest.mark.django_db
def test_only_the_revision_preview_may_be_framed_and_only_by_the_site(client, editor):
    import_document(IMPORTED_HTML, name="ports.html", desk=DeskFactory(), by=editor)
    article = Article.objects.get()
    client.force_login(editor)
    base = f"/admin/articles/article/{article.pk}"
    preview = client.get(f"{base}/revisions/1/")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(preview)["frame-ancestors"] == ["'self'"]
    for url in (f"{base}/source/", f"{base}/change/", f"{base}/revisions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
        assert csp(response)["frame-ancestors"] == ["'none'"], url


# --- login throttling (django-axes)


def attempt(client, username: str, password: str):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_out_from_that_address(client, editor):
    editor.set_password(PASSWORD)
    editor.save()
    for _ in range(4):
        assert attempt(client, editor.username, "wrong").status_code == 200
    locked = attempt(client, editor.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # Even the right password is refused now, and nothing is logged in.
    assert attempt(client, editor.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out: the lock is per username and address.
    other = client.post(
        "/admin/login/?next=/admin/",
        {"username": editor.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_the_failures(client, editor):
    editor.set_password(PASSWORD)
    editor.save()
    for _ in range(4):
        attempt(client, editor.username, "wrong")
    assert attempt(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, editor.username, "wrong").status_code == 200


@pytest.mark.django_db
def test_the_client_address_comes_from_trusted_proxies_only(client, editor, settings):
    """Behind 2 proxies, what the client wrote in X-Forwarded-For is ignored."""
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 2

    def via_proxies(claimed: str, real: str):
        return client.post(
            "/admin/login/",
            {"username": editor.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"{claimed}, {real}, 10.0.0.2",
        )

    for number in range(5):
        response = via_proxies(f"198.51.100.{number}", real="203.0.113.9")
    assert response.status_code == 429  # one client, whatever it claimed


# Behind a CDN and a load balancer (TRUSTED_PROXY_COUNT=2). The CDN appends the
# client's address, the load balancer the CDN edge's; the app server sees the
# load balancer. Requests may also reach the load balancer, or an app server,
# directly: then the entries where the proxies' should be are the sender's.
LOAD_BALANCER = "10.0.0.2"
CDN_EDGE = "192.0.2.50"
CLIENT = "203.0.113.9"
ELSEWHERE = "192.0.2.7"  # another client


def attempt_from(client, address: str, username: str, password: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_limited(client, editor):
    """20 failures from one address, whatever the usernames, block that address."""
    editor.set_password(PASSWORD)
    editor.save()
    for number in range(19):
        response = attempt_from(client, CLIENT, f"reporter{number}", "password1")
        assert response.status_code == 200
    locked = attempt_from(client, CLIENT, "reporter19", "password1")
    assert locked.status_code == 429
    assert "No account can log in from your address for 15 minutes" in (
        locked.content.decode()
    )
    # Until the first of the 20 is 15 minutes old.
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60
    # Every account is refused there, even with its password; not elsewhere.
    refused = attempt_from(client, CLIENT, editor.username, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    elsewhere = attempt_from(client, ELSEWHERE, editor.username, PASSWORD)
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_logging_in_between_guesses_does_not_reset_the_count_per_address(
    client, editor
):
    """A success clears that account's failures from that address, no one else's."""
    editor.set_password(PASSWORD)
    editor.save()
    for number in range(19):
        attempt_from(client, CLIENT, f"reporter{number}", "password1")
    assert attempt_from(client, CLIENT, editor.username, PASSWORD).status_code == 302
    client.logout()
    assert attempt_from(client, CLIENT, "reporter19", "password1").status_code == 429


@pytest.mark.django_db
def test_one_account_attacked_from_many_addresses_is_limited(client, editor):
    """30 failures for one username, whatever the addresses, block that account."""
    editor.set_password(PASSWORD)
    editor.save()
    for number in range(29):
        response = attempt_from(client, f"198.51.100.{number}", editor.username, "x")
        assert response.status_code == 200
    locked = attempt_from(client, "198.51.100.29", editor.username, "x")
    assert locked.status_code == 429
    assert "The account “editor” cannot log in from any address for 15 minutes" in (
        locked.content.decode()
    )
    # Its owner too, from an address that never failed; other accounts can.
    refused = attempt_from(client, ELSEWHERE, editor.username, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    other = UserFactory(username="other_editor", is_staff=True)
    assert attempt_from(client, CLIENT, other.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_colleague_cannot_be_locked_out_from_one_address(client, editor):
    """Refused attempts are not counted: one address adds 5 failures at most."""
    editor.set_password(PASSWORD)
    editor.save()
    for _ in range(50):
        attempt_from(client, CLIENT, editor.username, "wrong")
    assert attempt_from(client, CLIENT, editor.username, PASSWORD).status_code == 429
    elsewhere = attempt_from(client, ELSEWHERE, editor.username, PASSWORD)
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_the_lockout_page_says_when_the_block_ends(client, editor):
    """The block lasts until enough of the failures behind it are 15 minutes old."""
    for number in range(30):
        attempt_from(client, f"198.51.100.{number}", editor.username, "x")
    # Make the first 10 failures 10 minutes old: they expire in 5 minutes,
    # leaving 20, under the limit of 30.
    first = list(AccessAttempt.objects.order_by("id").values_list("id", flat=True))
    AccessAttempt.objects.filter(id__in=first[:10]).update(
        attempt_time=timezone.now() - timedelta(minutes=10)
    )
    locked = attempt_from(client, ELSEWHERE, editor.username, "x")
    assert locked.status_code == 429
    assert 4 * 60 < int(locked["Retry-After"]) <= 5 * 60
    assert "cannot log in from any address for 5 minutes" in locked.content.decode()


@pytest.fixture
def behind_cdn_and_load_balancer(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 2
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.0/24"]


def attempt_via(client, entry: str, username: str, password: str, *, forged: str):
    """Log in from CLIENT through `entry`, with `forged` written in X-Forwarded-For."""
    route = {
        "cdn": (LOAD_BALANCER, f"{forged}, {CLIENT}, {CDN_EDGE}"),
        "load balancer": (LOAD_BALANCER, f"{forged}, {CLIENT}"),
        "app server": (CLIENT, f"{forged}, {CDN_EDGE}"),
    }
    remote_addr, forwarded_for = route[entry]
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["load balancer", "app server"])
def test_a_request_that_skips_a_proxy_cannot_choose_its_address(
    client, editor, behind_cdn_and_load_balancer, entry
):
    """Past the CDN, a new address written in X-Forwarded-For buys no new tries."""
    for number in range(4):
        response = attempt_via(
            client, entry, editor.username, "wrong", forged=f"198.51.100.{number}"
        )
        assert response.status_code == 200
    locked = attempt_via(client, entry, editor.username, "wrong", forged="198.51.100.9")
    assert locked.status_code == 429


@pytest.mark.django_db
def test_a_locked_account_cannot_log_in_from_a_forged_new_address(
    client, editor, behind_cdn_and_load_balancer
):
    """Locked out through the CDN, the account stays locked past it."""
    editor.set_password(PASSWORD)
    editor.save()
    for _ in range(5):
        attempt_via(client, "cdn", editor.username, "wrong", forged="198.51.100.1")
    for entry in ["cdn", "load balancer", "app server"]:
        response = attempt_via(
            client, entry, editor.username, PASSWORD, forged="198.51.100.200"
        )
        assert response.status_code == 429, entry
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_garbage_in_x_forwarded_for_neither_breaks_nor_varies_the_address(
    client, editor, behind_cdn_and_load_balancer
):
    """Entries that are not addresses are not stored (PostgreSQL would refuse them)."""
    for number in range(5):
        response = attempt_via(
            client, "load balancer", editor.username, "wrong", forged=f"junk-{number}"
        )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # Through the CDN and the load balancer: the entry the CDN appended.
        (LOAD_BALANCER, f"198.51.100.1, {CLIENT}, {CDN_EDGE}", CLIENT),
        # Past the CDN, or straight to an app server: the sender itself.
        (LOAD_BALANCER, f"198.51.100.1, {CLIENT}", CLIENT),
        (CLIENT, f"198.51.100.1, {CDN_EDGE}", CLIENT),
        # No more than TRUSTED_PROXY_COUNT hops, trusted or not.
        (LOAD_BALANCER, f"{CLIENT}, 10.0.0.7, {CDN_EDGE}", "10.0.0.7"),
        # An entry that is not an address ends the walk at the proxy before it.
        (LOAD_BALANCER, f"{CLIENT}, not-an-address", LOAD_BALANCER),
        (LOAD_BALANCER, f"{CLIENT}, {CLIENT}:443", LOAD_BALANCER),
        (LOAD_BALANCER, "", LOAD_BALANCER),
        # A dual-stack socket's IPv4 peer; IPv6 in its usual spelling.
        (f"::ffff:{LOAD_BALANCER}", f"{CLIENT}, {CDN_EDGE}", CLIENT),
        ("2001:DB8::0:1", "", "2001:db8::1"),
        ("", CLIENT, None),
    ],
)
def test_the_client_address_is_what_trusted_proxies_appended(
    rf, behind_cdn_and_load_balancer, remote_addr, forwarded_for, expected
):
    request = rf.post(
        "/admin/login/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for
    )
    assert client_ip(request) == expected


def test_trusted_proxies_that_are_not_networks_stop_start_up():
    env = {**example_environment(), "TRUSTED_PROXIES": "10.0.0.0/8,load-balancer"}
    done = manage("check", env=env)
    assert done.returncode != 0
    assert "TRUSTED_PROXIES" in done.stderr


# --- /healthz


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


HEALTH_CHECK = """
from django.test import Client
for _ in range(2):  # the file missing, then the empty one SQLite made
    response = Client().get("/healthz")
    print(response.status_code, response.content.decode())
"""


@pytest.mark.slow
def test_healthz_says_503_when_the_sqlite_file_is_missing(tmp_path):
    """SQLite opens a missing file as an empty database: that is no database."""
    env = {
        **example_environment(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gone.sqlite3'}",
        "DB_POOL": "0",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
    }
    done = manage("shell", "--no-imports", "-c", HEALTH_CHECK, env=env)
    assert done.returncode == 0, done.stderr
    printed = [line for line in done.stdout.splitlines() if not line.startswith("{")]
    error = '503 {"database": "error", "cache": "ok"}'
    assert printed == [error, error], done.stdout
    assert "Health check: default failed" in done.stdout


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_cache_but_keeps_the_server(
    client, settings, caplog
):
    """Pages are still served without the cache: the load balancer keeps the server."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # discard port: nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "error"}
    assert "127.0.0.1:9" not in response.content.decode()  # the reason is only logged
    assert "Health check: cache failed" in caplog.text


# --- request size limits


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_read(client, editor, settings):
    settings.NEWSROOM_MAX_UPLOAD_BODY = 64 * 1024
    client.force_login(editor)
    big = SimpleUploadedFile("old.md", b"# Title\n\n" + b"x" * 100_000)
    response = client.post(
        reverse("admin:articles_article_import"), {"files": [big], "text": ""}
    )
    assert response.status_code == 413
    assert "the limit is 0.1 MB" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_oversized_form_post_is_refused(client, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        urlencode({"title": "x" * 5000}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert not Article.objects.exists()


# --- static files


@pytest.mark.slow
def test_collectstatic_writes_hashed_compressed_files_that_pages_link_to(tmp_path):
    env = {
        **example_environment(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DB_POOL": "0",
        "REDIS_URL": "",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    done = manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (tmp_path / "static" / f"{hashed}.gz").is_file()
    # An ES module imports its neighbours by their hashed names too.
    module = (tmp_path / "static" / manifest["paths"]["js/editor/main.js"]).read_text()
    schema = Path(manifest["paths"]["js/editor/schema.js"]).name
    words = Path(manifest["paths"]["js/grid/words.js"]).name
    assert schema != "schema.js" and f'from "./{schema}";' in module
    assert words != "words.js" and f'from "../grid/{words}";' in module
    done = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.templatetags.static import static; print(static('css/site.css'))",
        env=env,
    )
    assert done.stdout.splitlines()[-1] == f"/static/{hashed}"


@pytest.mark.django_db
def test_whitenoise_serves_static_files(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


# --- logs


def test_log_lines_are_json_with_the_extra_fields_and_the_traceback():
    logger = logging.getLogger("newsroom.test")
    try:
        raise ValueError("bad cell")
    except ValueError:
        record = logger.makeRecord(
            "newsroom.test",
            logging.ERROR,
            __file__,
            1,
            "Import of %s failed",
            ("old.md",),
            sys.exc_info(),
            extra={"status": 500, "path": "/admin/"},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR"
    assert data["logger"] == "newsroom.test"
    assert data["message"] == "Import of old.md failed"
    assert data["status"] == 500 and data["path"] == "/admin/"
    assert "ValueError: bad cell" in data["exception"]
    assert data["time"].endswith("+00:00")


# --- the read replica


REPLICA_CHECK = """
from django.test import Client
from articles.testing.factories import make_article

article = make_article([], publish=True, title="Fresh story")  # on the primary
url = article.get_absolute_url()
reader = Client()
print("reader", reader.get(url).status_code)  # the replica lags: not there yet
staff = Client()
staff.cookies["sessionid"] = "anything"
print("staff", staff.get(url).status_code)
print("admin", Client().get("/admin/login/").status_code)
reader.post("/search/", {})  # any request that may write holds reads on the primary
print("after a write", reader.get(url).status_code)
"""


@pytest.mark.slow
def test_readers_read_from_the_replica_and_staff_and_writers_from_the_primary(
    tmp_path,
):
    """A replica that lags (a copy of the database from before the article)."""
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        **example_environment(),
        "DATABASE_URL": f"sqlite:///{primary}",
        "DB_POOL": "0",
        "REDIS_URL": "",
        "PAGE_CACHE": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    done = manage("migrate", "--noinput", "-v", "0", env=env)
    assert done.returncode == 0, done.stderr
    shutil.copy(primary, replica)
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
    done = manage("shell", "--no-imports", "-c", REPLICA_CHECK, env=env)
    assert done.returncode == 0, done.stderr
    printed = [line for line in done.stdout.splitlines() if not line.startswith("{")]
    assert printed == [
        "reader 404",
        "staff 200",
        "admin 200",
        "after a write 200",
    ], done.stdout
