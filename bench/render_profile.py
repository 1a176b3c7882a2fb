"""Server CPU per article page, measured in-process (no HTTP), against Wagtail.

    .venv/bin/python bench/render_profile.py [--requests 20] [--rounds 15]
    .venv/bin/python bench/render_profile.py --wagtail --before /tmp/main
    DATABASE_URL=postgres://... .venv/bin/python bench/render_profile.py --wagtail
    .venv/bin/python bench/render_profile.py --profile large  # cProfile, cold

Each site runs in a process of its own (bench/wsgi_cpu.py) that sends GET
requests through Django's WSGI handler, middleware included, and times each
one's CPU (`time.process_time`) and wall time. The Newsroom's processes build
a throwaway database (SQLite in memory, or `test_<name>_profile_<pid>` on
PostgreSQL) with the demo content (the seed article) and the large article
(`articles.testing.factories.large_body()`: 20 sections of 3 paragraphs and a
5-item list, 10 tables of 30 x 8).

Newsroom states: `cold` (page cache and rendered-body cache off: a true
render), `body` (page cache off, rendered body cached: what staff get) and
`warm` (page cache on and primed: anonymous readers).

The baseline is the shared Wagtail anchor, `../shared/bench/wagtail-anchor`
(a standard Wagtail 8 serving the same two articles; its README): with
`--wagtail` its `/seed/` and `/large/` are measured the same way, in its own
virtualenv, in a database of their own (a copy of SQLite under a temporary
folder, or `<name>_anchor_<pid>` on PostgreSQL, migrated and loaded with its
`load_content.py`, dropped at the end). Run its `setup.sh` once first
(`ANCHOR_ROOT`, default /tmp/wagtail-anchor, is where it put the venv and the
project). `--before DIR` measures another checkout of the Newsroom (e.g.
`git worktree add /tmp/main main`) in the same run.

Sites, pages and states are measured in turn, round after round, so that the
machine's load (it is shared) falls on all of them alike. Printed per row:
the median CPU and wall time per request of each round, the median over the
rounds and the best round (other processes only ever add time), the
queries per request, and the load average before and after; then our cold
render over the others', as the ratio of the medians and as the median of
each round's own ratio ("paired", steadier when the machine's speed
drifts). The target: `cold` at twice Wagtail's speed on both pages (half
its CPU). Measured on 3 December 2026 at 22:48-22:50, 15 rounds of 20: the
seed page 2.71 and 2.84 ms against Wagtail's 5.62 and 5.79 on SQLite
(0.48x and 0.49x; paired 0.46x and 0.50x), 3.62 against 7.31 on
PostgreSQL (0.50x; paired 0.48x); the large one 0.31-0.34x.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "wsgi_cpu.py"
ANCHOR = ROOT.parent / "shared" / "bench" / "wagtail-anchor"
# Where the anchor's setup.sh puts its virtualenv and project by default.
ANCHOR_ROOT = "/tmp/wagtail-anchor"  # noqa: S108 - the anchor's choice, only read
STATES = {
    "cold": {"NEWSROOM_PAGE_CACHE": False, "NEWSROOM_BODY_CACHE": False},
    "body": {"NEWSROOM_PAGE_CACHE": False, "NEWSROOM_BODY_CACHE": True},
    "warm": {"NEWSROOM_PAGE_CACHE": True, "NEWSROOM_BODY_CACHE": True},
}


class Site:
    """One site served by a bench/wsgi_cpu.py process, answering measurements."""

    def __init__(self, name: str, command: list[str], env: dict, states: dict):
        self.name, self.states = name, states
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        hello = self._read()
        self.pages = hello["pages"] or {"seed": "/seed/", "large": "/large/"}
        self.vendor = hello["vendor"]

    def measure(self, page: str, state: str, requests: int) -> dict:
        order = {
            "path": self.pages[page],
            "requests": requests,
            "settings": self.states[state],
        }
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        answer = self._read()
        if "error" in answer:
            sys.exit(f"{self.name}: {answer['error']}")
        return answer

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            sys.exit(f"{self.name}: the measuring process stopped")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()  # it drops its database and ends
        self.process.wait(timeout=120)


def newsroom(name: str, checkout: Path) -> Site:
    command = [
        sys.executable,
        str(WORKER),
        "--site",
        str(checkout),
        "--settings",
        "newsroom.settings",
        "--newsroom",
    ]
    return Site(name, command, dict(os.environ), STATES)


@contextlib.contextmanager
def wagtail_anchor(anchor: Path, anchor_root: Path):
    """The anchor's site in its own database, loaded with its two articles."""
    python = anchor_root / "venv" / "bin" / "python"
    if not python.exists():
        sys.exit(f"No {python}: run {anchor / 'setup.sh'} first (see its README).")
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if url.startswith(("postgres://", "postgresql://")):
            database_url = stack.enter_context(throwaway_postgres(url))
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            database_url = f"sqlite:///{folder}/anchor.sqlite3"
        env = {
            **os.environ,
            "ANCHOR_ROOT": str(anchor_root),
            "DATABASE_URL": database_url,
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        site = anchor_root / "site"
        for command in (
            [str(python), "manage.py", "migrate", "--noinput", "-v", "0"],
            [str(python), str(anchor / "load_content.py")],
        ):
            subprocess.run(command, cwd=site, env=env, check=True, capture_output=True)
        command = [
            str(python),
            str(WORKER),
            "--site",
            str(site),
            "--settings",
            "anchor_site.settings",
        ]
        process = Site("wagtail", command, env, {"cold": {}})
        try:
            yield process
        finally:
            process.close()


@contextlib.contextmanager
def throwaway_postgres(url: str):
    import psycopg
    from psycopg import sql

    from bench.site_bench import _throwaway

    database_url, admin_url, name = _throwaway(url)
    database_url = database_url.replace("_bench_", "_anchor_")
    name = name.replace("_bench_", "_anchor_")
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)
    try:
        yield database_url
    finally:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(drop.format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="per round")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--wagtail", action="store_true", help="also measure the Wagtail anchor"
    )
    parser.add_argument(
        "--anchor", type=Path, default=ANCHOR, help="the anchor's folder"
    )
    parser.add_argument(
        "--before", type=Path, help="also measure this checkout of the Newsroom"
    )
    parser.add_argument("--profile", choices=["seed", "large"])
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile, args.requests)

    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        sites = []
        if args.before:
            sites.append(newsroom("before", args.before.resolve()))
            stack.callback(sites[-1].close)
        sites.append(newsroom("newsroom", ROOT))
        stack.callback(sites[-1].close)
        if args.wagtail:
            anchor_root = Path(os.environ.get("ANCHOR_ROOT", ANCHOR_ROOT))
            sites.append(stack.enter_context(wagtail_anchor(args.anchor, anchor_root)))
        runs = {}
        # Warm up imports, templates and connections; then rounds in turn.
        for number in range(args.rounds + 1):
            for page in ("seed", "large"):
                for site in sites:
                    for state in site.states:
                        count = args.requests if number else 5
                        answer = site.measure(page, state, count)
                        if number:
                            runs.setdefault((site.name, page, state), []).append(answer)
        report(sites, runs, args, load_before)


def report(sites: list[Site], runs: dict, args, load_before) -> None:
    vendors = ", ".join(f"{site.name} {site.vendor}" for site in sites)
    print(
        f"databases: {vendors}; {args.rounds} rounds of {args.requests} requests; "
        "CPU and wall time per request: each round's median"
    )
    print(
        f"{'site':9} {'page':6} {'state':5} {'CPU ms':>7} {'best':>7} "
        f"{'wall ms':>8} {'queries':>7}  rounds (CPU ms)"
    )
    cold = {}
    for page in ("seed", "large"):
        for site in sites:
            for state in site.states:
                answers = runs[(site.name, page, state)]
                cpu = [answer["cpu_ms"] for answer in answers]
                wall = statistics.median(answer["wall_ms"] for answer in answers)
                if state == "cold":
                    cold[(site.name, page)] = statistics.median(cpu)
                print(
                    f"{site.name:9} {page:6} {state:5} {statistics.median(cpu):7.2f} "
                    f"{min(cpu):7.2f} {wall:8.2f} {answers[-1]['queries']:7d}  "
                    + " ".join(f"{value:.2f}" for value in cpu)
                )
    for page in ("seed", "large"):
        ours = cold[("newsroom", page)]
        line = [f"{page}: cold {ours:.2f} ms"]
        for other, label in (("before", "before"), ("wagtail", "Wagtail's CPU")):
            if (other, page) in cold:
                line.append(
                    f"{ours / cold[(other, page)]:.2f}x {label} "
                    f"(paired: {_paired(runs, page, other):.2f}x)"
                )
        print(", ".join(line))
    after = os.getloadavg()
    print(
        "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *after
        )
    )


def _paired(runs: dict, page: str, other: str) -> float:
    """The median over the rounds of our cold CPU over `other`'s in the same round.

    The machine is shared: its speed drifts by tens of percent within a
    minute, and a round's two sites are measured a second apart, so each
    round's own ratio is steadier than the ratio of the two medians.
    """
    ours, theirs = runs[("newsroom", page, "cold")], runs[(other, page, "cold")]
    return statistics.median(
        a["cpu_ms"] / b["cpu_ms"] for a, b in zip(ours, theirs, strict=True)
    )


def profile(page: str, count: int) -> None:
    """cProfile of `count` cold renders of one page, in this process."""
    sys.path.insert(0, str(ROOT))
    import bench.wsgi_cpu as worker

    with worker.newsroom_in_this_process() as paths:
        from django.test import override_settings

        path = paths[page]
        client = worker.Client()
        with override_settings(**STATES["cold"]):
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(count):
                client.get(path)
            profiler.disable()
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue())


if __name__ == "__main__":
    main()
