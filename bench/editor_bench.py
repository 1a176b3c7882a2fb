"""The document editor on the large article, in headless Chromium: ready, typing, save.

    .venv/bin/python bench/editor_bench.py [--characters 60] [--saves 10]

Builds a throwaway database (SQLite in memory, or `test_<name>_editor_<pid>`
on PostgreSQL when DATABASE_URL says so) with an editor and two articles, the
large one (`articles.testing.factories.large_body()`: 20 sections of 3
paragraphs and a 5-item list, 10 tables of 30 x 8) and a small one (the same
with 2 sections and 1 table), and serves them from a thread of this process
(Django's live server, DEBUG off, static files from the source folders).

Printed:
- ready: from the start of navigation to the editor's `nr-editor-ready`
  performance mark (main.js sets it when the editor can be typed in), and
  from the end of the response; the median over a few loads. Target: < 1 s.
- typing: characters typed one by one into the body with Chromium's
  keyboard, right after the first click in the loaded page and again after
  a second's pause; the Long Tasks API's tasks meanwhile and during the
  autosave that follows (count, longest). Target: none over 50 ms.
- save: the change form posted with the editor's body (the page's own
  data, through Django's test client, in this process): the median CPU time
  and the queries, for the small and the large article. Targets: the same
  number of queries for both, under 300 ms.

With `--trace FILE`, Chromium's trace of the typing is written to FILE (open
it in the DevTools Performance panel) and its longest main-thread tasks are
printed with what filled them, rendering included (the Long Tasks API only
sees the task, not whether script, layout or paint made it long).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark only"  # noqa: S105 - a throwaway database's account


def set_up_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()


def build_content():
    from django.contrib.auth.models import Group

    from articles import workflow
    from articles.testing.factories import (
        DeskFactory,
        UserFactory,
        large_body,
        make_article,
    )

    editor = UserFactory(username="bench-editor")
    editor.set_password(PASSWORD)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name=workflow.EDITORS))
    desk = DeskFactory(name="Bench", slug="bench")
    large = make_article(large_body(), author=editor, desk=desk, title="Large")
    small = make_article(
        large_body(sections=2, tables=1), author=editor, desk=desk, title="Small"
    )
    return editor, small, large


def browser_figures(url: str, article, characters: int, loads: int, trace) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    change = f"{url}/admin/articles/article/{article.pk}/change/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(
            """window.nrLongTasks = [];
            new PerformanceObserver((list) => list.getEntries().forEach(
              (task) => window.nrLongTasks.push(task.duration))
            ).observe({type: "longtask", buffered: true});"""
        )
        response = page.goto(f"{url}/admin/login/")
        if response.status != 200:
            sys.exit(f"{url}/admin/login/: {response.status} {page.content()[:500]}")
        page.fill("#id_username", "bench-editor")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        ready, after_response = [], []
        for _ in range(loads):
            page.goto(change)
            page.wait_for_function(
                "performance.getEntriesByName('nr-editor-ready').length"
            )
            mark, response_end = page.evaluate(
                """[performance.getEntriesByName('nr-editor-ready')[0].startTime,
                    performance.getEntriesByType('navigation')[0].responseEnd]"""
            )
            ready.append(mark)
            after_response.append(mark - response_end)
        body = page.locator(".nr-editor-body p").nth(30)
        body.click()
        page.keyboard.press("End")
        typing = {}
        if trace:
            browser.start_tracing(page=page, path=trace, categories=TRACED)
        # Right after the first click in a freshly loaded page, then once the
        # page has settled (the first copy converted, spell checking done).
        for moment, pause in (("at once", 0), ("after 1 s", 1000)):
            page.wait_for_timeout(pause)
            page.evaluate("window.nrLongTasks = []")
            for _ in range(characters):
                page.keyboard.type("x")
            page.wait_for_timeout(3000)  # autosave and its long tasks, if any
            typing[moment] = page.evaluate("window.nrLongTasks")
        if trace:
            browser.stop_tracing()
        browser.close()
    return {
        "ready_ms": statistics.median(ready),
        "ready_after_response_ms": statistics.median(after_response),
        "typing": typing,
    }


TRACED = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute"]


def longest_tasks(trace: str, count: int = 5) -> list[str]:
    """The trace's longest tasks, each with the steps that took over 3 ms."""
    with open(trace) as file:
        events = json.load(file)["traceEvents"]
    spans = [e for e in events if e.get("ph") == "X" and "dur" in e]
    tasks = [e for e in spans if e["name"] == "RunTask" and e["dur"] > 10_000]
    lines = []
    for task in sorted(tasks, key=lambda e: -e["dur"])[:count]:
        start, end = task["ts"], task["ts"] + task["dur"]
        steps = [
            f"{e['name']} {e['dur'] / 1000:.0f}"
            for e in spans
            if e is not task
            and e["tid"] == task["tid"]
            and start <= e["ts"] < end
            and e["dur"] > 3000
        ]
        lines.append(f"{task['dur'] / 1000:.0f} ms: {', '.join(steps[:8])}")
    return lines


def save_figures(editor, article, saves: int) -> dict:
    """CPU time and queries of posting the change form with the body."""
    import lxml.html
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(editor)
    change = f"/admin/articles/article/{article.pk}/change/"
    cpu, queries = [], []
    for _ in range(saves):
        page = lxml.html.fromstring(client.get(change).content)
        data = dict(page.get_element_by_id("article_form").form_values())
        config = json.loads(page.get_element_by_id("nr-editor-config").text)
        data["body"] = json.dumps(config["sections"])
        start = time.process_time()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(change, data)
        cpu.append(1000 * (time.process_time() - start))
        queries.append(len(captured))
        assert response.status_code == 302, response.status_code
    return {"save_cpu_ms": statistics.median(cpu), "save_queries": max(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--characters", type=int, default=60)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument(
        "--trace", metavar="FILE", help="write Chromium's trace of the typing"
    )
    args = parser.parse_args()
    set_up_django()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection, connections
    from django.test.testcases import LiveServerThread

    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"test_{name}_editor_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        editor, small, large = build_content()
        # The thread shares this connection (SQLite in memory).
        shared = connections["default"]
        shared.inc_thread_sharing()
        connections_override = {"default": shared}
        server = LiveServerThread("localhost", StaticFilesHandler, connections_override)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        url = f"http://localhost:{server.port}"
        browser = browser_figures(url, large, args.characters, args.loads, args.trace)
        server.terminate()
        shared.dec_thread_sharing()
        small_save = save_figures(editor, small, args.saves)
        large_save = save_figures(editor, large, args.saves)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"database: {connection.vendor}; the large article: 20 sections, 10 tables")
    print(
        f"ready to type: {browser['ready_ms']:.0f} ms from navigation, "
        f"{browser['ready_after_response_ms']:.0f} ms after the response "
        f"(median of {args.loads} loads; target < 1000 ms)"
    )
    for moment, tasks in browser["typing"].items():
        print(
            f"typing {args.characters} characters {moment}: {len(tasks)} long tasks, "
            f"longest {max(tasks, default=0):.0f} ms (target: none over 50 ms)"
        )
    if args.trace:
        print(f"longest tasks while typing (ms of steps; trace in {args.trace}):")
        for line in longest_tasks(args.trace):
            print(f"  {line}")
    for label, figures in (("small", small_save), ("large", large_save)):
        print(
            f"save, {label} article: {figures['save_cpu_ms']:.0f} ms CPU, "
            f"{figures['save_queries']} queries (target < 300 ms, same queries)"
        )


if __name__ == "__main__":
    main()
