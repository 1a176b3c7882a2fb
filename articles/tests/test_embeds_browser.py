"""Embeds in Chromium: the copied code on another site, its height, the share page."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles import embeds
from articles.testing.bodies import paragraph, table
from articles.testing.factories import make_article

from .test_accessibility_browser import axe_results, report

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "embeds.md"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(autouse=True)
def roles(moderator):
    """The roles and their permissions, which publishing asks for: the flush
    after another live-server test can leave them out (conftest.member_of)."""


def votes_article(rows=6):
    return make_article(
        [
            {
                "heading": "",
                "blocks": [
                    paragraph("The count is in."),
                    table(
                        'Votes "by" region <b>',
                        ["Region", {"label": "Votes", "kind": "number"}],
                        [[f"Region {n}", str(n * 1000)] for n in range(1, rows + 1)],
                        source_note="Electoral commission",
                    ),
                ],
            }
        ],
        publish=True,
        title="Election night",
    )


def host_snippet(site: str) -> str:
    """The resizing snippet of docs/embeds.md, for the live server's address."""
    text = DOCS.read_text()
    snippet = re.search(r"```html\n(<script>.*?</script>)\n```", text, re.S).group(1)
    return snippet.replace("https://news.example", site)


class HostSite:
    """Another site: one page, at an origin other than the live server's.

    http://127.0.0.1:<port> while the live server is http://localhost:<port>.
    A real server on loopback rather than a page.route() answer: Chromium's
    Local Network Access checks refuse a frame of localhost in a page that
    came from nowhere (or from a public address).
    """

    def __init__(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.html = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/story.html"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, body: str) -> str:
        """Serve `body` in a page of this site; return its address."""
        self.html = (
            '<!DOCTYPE html><html lang="en"><head><title>Host</title></head>'
            f"<body><h1>A story elsewhere</h1>{body}</body></html>"
        )
        return self.url


@pytest.fixture
def host_site():
    site = HostSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


def copied_code(page: Page, url: str) -> str:
    """Follow the first table's "Share or embed" link and copy its code."""
    page.goto(url)
    page.locator("#table-1 .table-share-link a").click()
    button = page.locator("button[data-copy='table-1-embed']")
    expect(button).to_be_visible()  # shown by copy-link.js
    button.click()
    expect(page.locator(".table-share-status").nth(1)).to_have_text("Code copied")
    code = page.evaluate("() => navigator.clipboard.readText()")
    assert code == page.locator("#table-1-embed").input_value()
    return code


@pytest.mark.django_db(transaction=True)
def test_copied_code_shows_the_table_on_another_site_and_fits_it_when_asked(
    live_server, new_context, host_site
):
    article = votes_article()
    context = new_context(viewport=DESKTOP)
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    code = copied_code(page, f"{live_server.url}{article.get_absolute_url()}")
    assert 'title="Votes &quot;by&quot; region &lt;b&gt;"' in code

    # The code alone: the frame shows the table at the code's height.
    page.goto(host_site.serve(code))
    frame = page.frame_locator("iframe")
    expect(frame.locator("table caption").first).to_have_text('Votes "by" region <b>')
    expect(frame.locator("tbody tr")).to_have_count(6)
    iframe = page.locator("iframe")
    assert iframe.get_attribute("height") == str(embeds.frame_height(6))
    assert iframe.get_attribute("title") == 'Votes "by" region <b>'
    # The estimate leaves no scrolling at the width it was measured at.
    page.set_viewport_size({"width": 672, "height": 900})  # 640 px frame
    inner = page.frames[1]
    assert inner.evaluate("() => document.documentElement.scrollHeight") <= int(
        embeds.frame_height(6)
    )

    # With the host page's snippet, the embed answers and the frame fits.
    host = host_site.serve(
        code + "<script>window.heights = [];"
        " addEventListener('message', (e) => heights.push(e.data));</script>"
        + host_snippet(live_server.url),
    )
    page.set_viewport_size(DESKTOP)
    page.goto(host)
    page.wait_for_function("() => window.heights.length > 0")
    message = page.evaluate("() => window.heights[0]")
    assert message["type"] == "newsroom-embed-height"
    inner = page.frames[1]
    body = inner.evaluate(
        "() => Math.ceil(document.body.getBoundingClientRect().height)"
    )
    assert abs(message["height"] - body) <= 1
    expect(iframe).to_have_attribute("height", str(message["height"]))
    assert inner.evaluate("() => document.documentElement.scrollHeight") <= int(
        iframe.get_attribute("height")
    )
    # A narrower page wraps the cells: the embed says so without being asked.
    page.set_viewport_size({"width": 300, "height": 740})
    page.wait_for_function(
        "(first) => window.heights.some((m) => m.height > first)", arg=message["height"]
    )
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_to_a_parent_that_does_not_ask(
    live_server, new_context, host_site
):
    article = votes_article()
    page = new_context(viewport=DESKTOP).new_page()
    embed = f"{live_server.url}{article.get_absolute_url()}table-1/embed/"
    page.goto(
        host_site.serve(
            f'<iframe src="{embed}" title="Votes" height="200"></iframe>'
            "<script>window.heights = [];"
            " addEventListener('message', (e) => heights.push(e.data));</script>"
        )
    )
    expect(page.frame_locator("iframe").locator("tbody tr")).to_have_count(6)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.heights") == []
    assert page.locator("iframe").get_attribute("height") == "200"


@pytest.mark.django_db(transaction=True)
def test_other_sites_cannot_frame_the_article_page(live_server, new_context, host_site):
    article = votes_article()
    page = new_context(viewport=DESKTOP).new_page()
    url = f"{live_server.url}{article.get_absolute_url()}"
    page.goto(
        host_site.serve(
            f'<iframe src="{url}" title="Article"></iframe>'
            f'<iframe src="{url}table-1/embed/" title="Table"></iframe>'
        )
    )
    embed = page.frame_locator("iframe[title=Table]")
    expect(embed.locator("tbody tr")).to_have_count(6)
    # X-Frame-Options and frame-ancestors: Chromium shows its error page.
    blocked = page.frame_locator("iframe[title=Article]")
    expect(blocked.locator("article.article")).to_have_count(0)
    urls = [frame.url for frame in page.frames]
    assert url not in urls and "chrome-error://chromewebdata/" in urls


@pytest.mark.parametrize(
    ("viewport", "name"),
    [(DESKTOP, "share-page-desktop.png"), (PHONE, "share-page-phone.png")],
    ids=["desktop", "phone"],
)
@pytest.mark.django_db(transaction=True)
def test_the_share_page_shows_the_embed_and_fits_the_screen(
    live_server, new_context, axe_script, viewport, name
):
    """It is as accessible as the rest of the site (axe-core), and fits."""
    article = votes_article()
    # bypass_csp: a Content-Security-Policy must not block the injected axe.
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator("#table-1 .table-share-link a").click()
    expect(page.locator("textarea")).to_be_visible()
    expect(page.locator("button[data-copy]")).to_have_count(2)
    # The preview is the embed page itself, framed by the site, fitted to the
    # table (js/embed-preview.js) however its cells wrap.
    preview = page.frame_locator("iframe.table-share-preview")
    expect(preview.locator("tbody tr")).to_have_count(6)
    frame = page.locator("iframe.table-share-preview")
    page.wait_for_function(
        "(f) => f.height && f.height == Math.ceil(f.contentDocument.body"
        ".getBoundingClientRect().height + parseFloat(getComputedStyle("
        "f.contentDocument.body).marginTop) + parseFloat(getComputedStyle("
        "f.contentDocument.body).marginBottom))",
        arg=frame.element_handle(),
    )
    inner = frame.evaluate("(f) => f.contentDocument.documentElement.scrollHeight")
    assert inner <= int(frame.get_attribute("height"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]  # nothing wider than the screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    failing = report({"share page": axe_results(page, axe_script)})
    assert failing == [], "\n".join(failing)


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_code_can_be_selected(live_server, new_context):
    article = votes_article()
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator("#table-1 .table-share-link a").click()
    code = page.locator("textarea")
    expect(code).to_be_visible()
    expect(page.locator("button[data-copy]").first).to_be_hidden()
    assert code.get_attribute("readonly") is not None
    assert code.input_value().startswith("<iframe src=")
