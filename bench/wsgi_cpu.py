"""Measure one Django site's CPU per request in its own process, on request.

Started by bench/render_profile.py, once per site it compares, with that
site's own Python (the Wagtail anchor has its own virtualenv):

    PYTHON bench/wsgi_cpu.py --site DIR --settings MODULE [--newsroom]

It puts DIR first on sys.path, sets the settings module up (DEBUG off) and,
with --newsroom, builds a throwaway database (SQLite in memory, or
`test_<name>_profile_<pid>` on PostgreSQL, dropped on exit) holding the demo
content and the large article. Then it prints one JSON line, {"pages": ...},
and answers JSON lines read from stdin, one per line:

    {"path": "/seed/", "requests": 60, "settings": {"NEWSROOM_BODY_CACHE": false}}
    -> {"cpu_ms": 4.1, "wall_ms": 4.2, "queries": 2}

`cpu_ms` and `wall_ms` are the medians over the requests of the CPU time
(time.process_time) and the wall time of a GET sent through Django's WSGI
handler, middleware included, the whole body read; `queries` is the number
of SQL queries of one more request. `settings` are overridden for that
measurement only. Nothing here imports the Newsroom unless --newsroom is
given, so any Django project can be measured the same way.
"""

import argparse
import contextlib
import importlib
import io
import json
import os
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="the project's folder")
    parser.add_argument("--settings", required=True, help="its settings module")
    parser.add_argument("--newsroom", action="store_true", help="load our content")
    args = parser.parse_args()
    # The answers keep the real stdout; whatever the site prints (logs) goes
    # to stderr instead.
    global ANSWERS
    ANSWERS = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    sys.path.insert(0, args.site)
    os.chdir(args.site)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    with contextlib.ExitStack() as stack:
        pages = {}
        if args.newsroom:
            pages = stack.enter_context(newsroom_in_this_process())
        import django

        django.setup()  # (again, for the Newsroom: it does nothing the second time)
        from django.db import connection

        client = Client()
        say({"pages": pages, "vendor": connection.vendor})
        for line in sys.stdin:
            say(measure(client, json.loads(line)))


def newsroom_environment() -> None:
    """The Newsroom as in production, in one process, without its own secrets."""
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # As in production: a new PostgreSQL connection (scram-sha-256) per
    # request would cost more than the page.
    os.environ.setdefault("CONN_MAX_AGE", "60")
    # Plain HTTP, static files from the source folders (no collectstatic).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.pop("REDIS_URL", None)  # one process: its memory is the shared cache


def load_newsroom() -> dict[str, str]:
    """The demo content (the seed article) and the large article; their paths."""
    from django.core.management import call_command
    from django.test import override_settings

    try:
        factories = importlib.import_module("articles.testing.factories")
    except ImportError:
        # --before a checkout older than articles/testing, where they were in
        # the tests. Only for measuring that old code: bench/ imports no tests.
        factories = importlib.import_module("articles.tests.factories")
    large_body, make_article = factories.large_body, factories.make_article

    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    big = make_article(large_body(), publish=True, title="A very long article")
    return {
        "seed": "/world/kazakh-president-joins-closed-csto-talks/",
        "large": big.get_absolute_url(),
    }


@contextlib.contextmanager
def newsroom_in_this_process():
    """The Newsroom set up here (`newsroom_environment`), on a throwaway database
    with the demo and the large article; yields their paths (`load_newsroom`).

    For scripts that measure in their own process (bench/page_weight.py,
    `bench/render_profile.py --profile`); the database is dropped at the end.
    """
    newsroom_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.db import connection

    original = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":  # not test_<name>: a test run may use it
        connection.settings_dict["TEST"]["NAME"] = (
            f"test_{original}_profile_{os.getpid()}"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield load_newsroom()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


class Client:
    """Calls the WSGI application as a server would, and reads the whole body."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.app = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, path: str) -> str:
        environ = self.factory._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        status = []
        body = self.app(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            b"".join(body)
        finally:
            body.close()
        return status[0]


def measure(client: Client, order: dict) -> dict:
    from django.db import connection
    from django.test import override_settings

    path, count = order["path"], order["requests"]
    cpu, wall = [], []
    with override_settings(**order.get("settings", {})):
        status = client.get(path)  # fills what the state keeps (caches)
        if not status.startswith("200"):
            return {"error": f"{path}: {status}"}
        for _ in range(count):
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(path)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        queries = []

        def counted(execute, sql, *args):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(counted):
            client.get(path)
    return {
        "cpu_ms": 1000 * statistics.median(cpu),
        "wall_ms": 1000 * statistics.median(wall),
        "queries": len(queries),
    }


ANSWERS = sys.stdout


def say(message: dict) -> None:
    print(json.dumps(message), file=ANSWERS, flush=True)


if __name__ == "__main__":
    main()
