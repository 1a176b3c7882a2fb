"""Server CPU per article page, measured in one process (no HTTP, no network).

    .venv/bin/python bench/render_profile.py [--requests 60] [--rounds 5]
    DATABASE_URL=postgres://... .venv/bin/python bench/render_profile.py
    .venv/bin/python bench/render_profile.py --profile large  # cProfile, cold

Builds a throwaway database (SQLite in memory, or `test_<name>_profile_<pid>`
on PostgreSQL, created and dropped here), loads the demo content (the seed
article) and a large article (`articles.tests.factories.large_body()`: 20
sections of 3 paragraphs and a 5-item list, 10 tables of 30 x 8), then sends
GET requests through Django's WSGI handler, middleware included, and prints
the CPU time (`time.process_time`) per request: the median of each round, the
best round shown (other processes on the machine only ever add time), with
the wall time and the queries per request.

States: `cold` (page cache and rendered-body cache off: a true render),
`body` (page cache off, rendered body cached: what staff get) and `warm`
(page cache on and primed: anonymous readers). The targets for `cold` are
half of Wagtail's CPU per request and at most 3 queries; Wagtail is measured
on the same machine by `bench/site_bench.py --wagtail` (the issue's 2.5 ms and
15 ms were half of Wagtail's CPU on a faster machine).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# As in production: a new PostgreSQL connection (scram-sha-256) per request
# would cost more than the page.
os.environ.setdefault("CONN_MAX_AGE", "60")
# Plain HTTP, static files from the source folders (no collectstatic).
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
os.environ.pop("REDIS_URL", None)  # one process: its memory is the shared cache

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

SEED_URL = "/world/kazakh-president-joins-closed-csto-talks/"
STATES = ("cold", "body", "warm")


def load_content() -> dict[str, str]:
    from articles.tests.factories import large_body, make_article

    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    big = make_article(large_body(), publish=True, title="A very long article")
    return {"seed": SEED_URL, "large": big.get_absolute_url()}


class Client:
    """Calls the WSGI application as a server would, and reads the whole body."""

    def __init__(self):
        self.app = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, path: str) -> tuple[str, bytes]:
        environ = self.factory._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        status = []
        body = self.app(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            content = b"".join(body)
        finally:
            body.close()
        return status[0], content


def state(name: str):
    return override_settings(
        NEWSROOM_PAGE_CACHE=name == "warm",
        NEWSROOM_BODY_CACHE=name in {"body", "warm"},
    )


def count_queries(client: Client, path: str) -> int:
    queries = []

    def counted(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        client.get(path)
    return len(queries)


def one_round(client: Client, path: str, count: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(count):
        c0, w0 = time.process_time(), time.perf_counter()
        client.get(path)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return 1000 * statistics.median(cpu), 1000 * statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=["seed", "large"])
    args = parser.parse_args()

    original = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":  # not test_<name>: a test run may use it
        connection.settings_dict["TEST"]["NAME"] = (
            f"test_{original}_profile_{os.getpid()}"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        urls = load_content()
        client = Client()
        if args.profile:
            return profile(client, urls[args.profile], args.requests)
        rows = {}
        for path in urls.values():  # warm up imports, templates and connections
            for name in STATES:
                with state(name):
                    for _ in range(5):
                        assert client.get(path)[0].startswith("200"), path
        for _ in range(args.rounds):  # interleaved: load on the machine hits all
            for page, path in urls.items():
                for name in STATES:
                    with state(name):
                        client.get(path)
                        rows.setdefault((page, name), []).append(
                            one_round(client, path, args.requests)
                        )
        print(
            f"database: {connection.vendor}; {args.rounds} rounds of "
            f"{args.requests} requests; CPU and wall time: median per request"
        )
        print(f"{'page':6} {'state':5} {'CPU ms':>7} {'wall ms':>8} {'queries':>7}")
        for page, path in urls.items():
            for name in STATES:
                with state(name):
                    queries = count_queries(client, path)
                best = min(rows[(page, name)])
                print(f"{page:6} {name:5} {best[0]:7.2f} {best[1]:8.2f} {queries:7d}")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def profile(client: Client, path: str, count: int) -> None:
    with state("cold"):
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            client.get(path)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue())


if __name__ == "__main__":
    main()
