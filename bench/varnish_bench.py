"""Readers through Varnish: warm pages against nginx, and how soon an edit shows.

    apt-get install -y wrk nginx redis-server varnish varnish-modules   # once
    DATABASE_URL=postgres://user:password@127.0.0.1:5432/newsroom \\
        .venv/bin/python bench/varnish_bench.py [--duration 10] [--rounds 3] [--load 60]

The site is set up as `site_bench.py` sets it up (a throwaway database with the
demo content and the large article; gunicorn, 2 sync workers, persistent
connections), with its page cache in a private redis-server (so that a
publication in another process reaches every worker), behind varnishd running
the repository's VCL (`deploy/varnish/newsroom.vcl`, through
`articles.testing.servers.VarnishServer`). nginx serves the very same HTML as
static files, and the two are measured in turn, --rounds times, with
`wrk -t2 -c8 --latency`: requests/s, latency and CPU per request, each beside
nginx's. The target: Varnish at least 50% of nginx's requests/s.

Then purge-to-fresh under load: for --load seconds wrk keeps requesting the
sample article through Varnish while, every --every seconds, the demo editor
changes its standfirst and the demo moderator approves the edit (a
subprocess, through the workflow, with PURGE_VARNISH_URLS naming this
Varnish, as an app server would). A thread here asks Varnish for the page
every 5 ms and notes when the new standfirst first shows; it then checks that
the next 20 answers all have it. Printed: each delay from the start of the
approval to the first fresh answer, their median and 99th percentile (target:
under 1 s), any stale answer after a fresh one, and the requests/s wrk kept
up meanwhile.

During that run wrk has a lower CPU priority (--client-nice, default 10):
readers' clients do not share a site's CPU, and here, on 2 cores, wrk's
own two busy threads would otherwise take most of it from the servers
(Varnish, gunicorn, PostgreSQL, Redis) and the approval. The load is the
same either way: on 3 December 2026, 51,100 requests/s through Varnish at
nice 10, 49,400 at nice 0. But at nice 0 the approval, 20 ms on an idle
machine, took a median of 0.34-0.45 s and the 99th percentile was
0.67-1.34 s over five runs; at nice 10, 0.13 s and 0.23 s.
"""

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.testing import servers  # noqa: E402
from bench.site_bench import (  # noqa: E402
    CONNECTIONS,
    PYTHON,
    SEED_URL,
    Bench,
    check_tools,
    fetch,
)

FRESH_TARGET = 1.0  # seconds, at the 99th percentile
SHARE_TARGET = 0.5  # of nginx's requests/s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="nginx/Varnish turns")
    parser.add_argument("--load", type=int, default=60, help="seconds under load")
    parser.add_argument("--every", type=float, default=3, help="seconds between edits")
    parser.add_argument(
        "--client-nice", type=int, default=10, help="wrk's niceness under --load"
    )
    parser.add_argument("--publish-edit", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish_edit:
        return publish_edit(*args.publish_edit)
    check_tools()
    if missing := servers.varnish_missing():
        sys.exit("Missing: " + "; ".join(missing))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (see this file's docstring).")
    print("command: " + " ".join([Path(PYTHON).name, *sys.argv]))
    try:
        with VarnishBench(
            url, args.duration, rounds=args.rounds, wagtail=None
        ) as bench:
            bench.run_varnish(
                load=args.load, every=args.every, client_nice=args.client_nice
            )
    except KeyboardInterrupt:
        sys.exit("Interrupted; the servers are stopped and the database dropped.")


def publish_edit(path: str, marker: str) -> None:
    """In a subprocess on the bench's database: edit the article at `path` and
    approve the edit; print when the approval started (epoch seconds)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from articles import workflow
    from articles.models import Article

    users = get_user_model().objects
    editor, moderator = users.get(username="editor"), users.get(username="moderator")
    article = Article.objects.get(slug=path.strip("/").split("/")[-1])
    article.standfirst = marker
    article.save(update_fields=["standfirst", "updated_at"])
    workflow.revise(article, by=editor, note=marker)
    workflow.submit(article, by=editor)
    started = time.time()
    # The sample's tables name no source: the demo approves it with a reason.
    workflow.approve(article, by=moderator, override_reason="Benchmark edit")
    print(started, time.time())


class VarnishBench(Bench):
    def run_varnish(self, *, load: int, every: float, client_nice: int) -> None:
        pages = self.prepare()
        varnish = servers.VarnishServer(self.tmp / "varnish", purgers=["127.0.0.1"])
        with contextlib.ExitStack() as stack:
            redis_url = stack.enter_context(self.redis())
            app = stack.enter_context(
                self.gunicorn(
                    "app", REDIS_URL=redis_url, PURGE_VARNISH_URLS=varnish.base
                )
            )
            varnish.start([app])
            stack.callback(varnish.stop)
            self.server_groups["varnish"] = varnish.process.popen.pid
            html = {name: fetch(app + path) for name, path in pages.items()}
            nginx = stack.enter_context(self.nginx(pages, html))
            for number in range(1, self.rounds + 1):
                print(f"round {number} of {self.rounds}", file=sys.stderr)
                for page, path in pages.items():
                    self.measure("nginx", page, nginx + path)
                    self.measure("varnish", page, varnish.base + path, prime=True)
            freshness = self.purge_to_fresh(
                varnish.base,
                pages["seed"],
                load=load,
                every=every,
                redis=redis_url,
                client_nice=client_nice,
            )
        self.report_varnish(pages, html, freshness, load, every, client_nice)

    def prepare(self) -> dict[str, str]:
        """The throwaway database with the demo and the large article: their paths."""
        from bench.site_bench import _create_database

        _create_database(self.admin_url, self.database)
        manage = [PYTHON, "manage.py"]
        self.call([*manage, "migrate", "--noinput", "-v", "0"])
        self.call([*manage, "load_demo"], DEBUG="1")
        large = self.call([PYTHON, "bench/site_bench.py", "--load-large"])
        return {"seed": SEED_URL, "large": large.strip().splitlines()[-1]}

    def purge_to_fresh(
        self, base: str, path: str, *, load: int, every: float, redis, client_nice
    ):
        """Edits approved every `every` s under `load` s of wrk: each delay from
        the approval's start until Varnish answered the new version, each
        approval's own time, the stale answers seen after a fresh one, and
        wrk's requests/s."""
        wrk = subprocess.Popen(
            ["nice", "-n", str(client_nice)]
            + ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{load}s", base + path],
            stdout=subprocess.PIPE,
            text=True,
        )
        delays, approvals, stale = [], [], 0
        end = time.monotonic() + load - every
        number = 0
        while time.monotonic() < end:
            number += 1
            marker = f"Edition {number} of the benchmark {os.getpid()}"
            seen: list[float] = []
            watcher = threading.Thread(
                target=_watch, args=(base + path, marker, seen), daemon=True
            )
            watcher.start()
            started, approved = map(
                float,
                self.call(
                    [PYTHON, __file__, "--publish-edit", path, marker],
                    REDIS_URL=redis,
                    PURGE_VARNISH_URLS=base,
                )
                .strip()
                .splitlines()[-1]
                .split(),
            )
            approvals.append(approved - started)
            watcher.join(timeout=30)
            if not seen:
                sys.exit(f"Edition {number} never showed through Varnish.")
            delays.append(seen[0] - started)
            stale += seen[1]
            time.sleep(max(0.0, every - (time.time() - started)))
        output = wrk.communicate()[0]
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
        return delays, approvals, stale, rate

    def report_varnish(self, pages, html, freshness, load, every, nice) -> None:
        delays, approvals, stale, rate = freshness
        print()
        print(
            f"wrk -t2 -c{CONNECTIONS} -d{self.duration}s --latency, nginx and "
            f"Varnish taken in turn, median of {self.rounds} round(s); Varnish in "
            "front of gunicorn (2 sync workers, page cache in redis), PostgreSQL"
        )
        print(
            f"{'page':6} {'server':8} {'req/s':>9} {'×nginx':>7} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'CPU ms/request':>15}"
        )
        for page in pages:
            nginx = self.median("nginx", page)
            for mode in ("nginx", "varnish"):
                figures = self.median(mode, page)
                print(
                    f"{page:6} {mode:8} {figures['rps']:9.1f} "
                    f"{figures['rps'] / nginx['rps']:7.2f} {figures['p50']:8.2f} "
                    f"{figures['p99']:8.2f} {figures['app_cpu']:15.3f}"
                )
            share = self.median("varnish", page)["rps"] / nginx["rps"]
            verdict = "met" if share >= SHARE_TARGET else "NOT met"
            print(f"{page}: Varnish {share:.0%} of nginx (target 50%: {verdict})")
        ordered = sorted(delays)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        verdict = "met" if p99 < FRESH_TARGET else "NOT met"
        print(
            f"purge to fresh, under {load} s of wrk -c{CONNECTIONS} at nice {nice} "
            f"({rate:,.0f} requests/s through Varnish), an edit approved "
            f"every {every:g} s: {len(delays)} edits, median "
            f"{statistics.median(delays) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms (target p99 < 1 s: {verdict}); "
            f"stale answers after a fresh one: {stale}; the approval itself (edit "
            f"checked, published, purged) took a median "
            f"{statistics.median(approvals) * 1000:.0f} ms of that"
        )
        print(
            "page sizes: "
            + ", ".join(
                f"{name} {len(body) / 1024:.1f} KiB" for name, body in html.items()
            )
        )


def _watch(url: str, marker: str, seen: list) -> None:
    """Ask for `url` every 5 ms until `marker` shows; then 20 more times.

    Appends the time it first showed, and how many of the next 20 lacked it.
    """
    needle = marker.encode()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if needle in _get(url):
            seen.append(time.time())
            break
        time.sleep(0.005)
    else:
        return
    seen.append(sum(needle not in _get(url) for _ in range(20)))


def _get(url: str) -> bytes:
    # Only the Varnish this script started, on loopback.
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.read()


if __name__ == "__main__":
    main()
