"""Load: 60 s of readers through a load balancer to two app servers.

    apt-get install -y wrk nginx redis-server   # once; PostgreSQL and gunicorn too
    .venv/bin/python bench/load_test.py [--duration 60] [--connections 32]

Starts, on loopback only, what a small production site runs (the helpers of
articles/testing/servers.py): a private PostgreSQL cluster in a temporary
folder (never the machine's own), one redis-server, two gunicorn app servers
(2 sync workers each, production settings, hashed static files, persistent
connections) sharing both, and nginx balancing round-robin over them. The
database gets the demo content (`load_demo`, whose sample article is the seed
article). Every page is fetched once, then `wrk` runs for --duration seconds
with --connections connections in all, spread evenly over four pages:

    article   the seed article
    home      /
    desk      /world/
    search    /search/?q=... cycling through words that match or match nothing

and prints, per page and in all, requests/s, p50 and p99 latency, and the
count of responses that were not 2xx (counted by a wrk Lua script: wrk's own
"Non-2xx or 3xx" line misses 3xx) plus socket errors; it exits 1 if any. The
page cache is on (Redis), as in production: this measures what the site
sustains, mostly from the cache, while search queries and cache misses still
reach PostgreSQL. Everything it started is stopped at the end, on errors and
Ctrl+C included.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.testing import servers
from bench.site_bench import milliseconds

PAGES = {
    "article": ["/world/kazakh-president-joins-closed-csto-talks/"],
    "home": ["/"],
    "desk": ["/world/"],
    "search": [
        f"/search/?q={word}"
        for word in ("csto", "kazakhstan", "summit", "security", "xylophone", "moscow")
    ],
}
# Cycles through the paths given after `--`; counts non-2xx answers across
# threads (globals, which `thread:get` reads) and prints them when done.
WRK_SCRIPT = """
paths, counter, non2xx = {}, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) for i, path in ipairs(args) do paths[i] = path end end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non2xx") end
  io.write(string.format("NON2XX %d\\n", total))
end
"""


def main() -> int:
    options = parse_options()
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="load-")))
        work.chmod(0o755)  # PostgreSQL runs as another account when root
        say("starting PostgreSQL, Redis and loading the demo content")
        env = start_backends(stack, work)
        app_servers = start_app_servers(stack, work, env)
        balancer = servers.LoadBalancer(work / "nginx", [s.base for s in app_servers])
        balancer.start()
        stack.callback(balancer.stop)
        fetch_each_page(balancer.base)
        results = run_wrk(work, balancer.base, options.duration, options.connections)
        failures = report(results)
        if any("Traceback" in server.log.read_text() for server in app_servers):
            print("a traceback is in the app servers' logs")
            failures += 1
    return 1 if failures else 0


def parse_options() -> argparse.Namespace:
    """Read the command line; exit if it or the machine cannot run the test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument(
        "--connections", type=int, default=32, help="in all, split over the pages"
    )
    options = parser.parse_args()
    missing = servers.missing_tools(load_balancer=True)
    if missing:
        sys.exit("load_test.py needs " + "; ".join(missing))
    if options.connections % len(PAGES):
        sys.exit(f"--connections must be a multiple of {len(PAGES)}")
    return options


def start_backends(stack: ExitStack, work: Path) -> dict:
    """Start PostgreSQL and Redis, set up the site's database; return its env."""
    postgres = servers.PrivatePostgres(work / "postgres")
    postgres.init()
    postgres.start()
    stack.callback(postgres.stop)
    redis = servers.RedisServer(work / "redis")
    redis.start()
    stack.callback(redis.stop)
    env = servers.site_env(
        postgres.create_database("newsroom"), redis.url, static_root=work / "static"
    )
    servers.manage("collectstatic", "--noinput", "-v", "0", env=env)
    servers.manage("migrate", "--noinput", "-v", "0", env=env)
    servers.manage("load_demo", env={**env, "DEBUG": "1"})
    return env


def start_app_servers(
    stack: ExitStack, work: Path, env: dict
) -> list[servers.AppServer]:
    """Start the two gunicorn app servers and wait until both answer."""
    app_servers = [servers.AppServer(name, work, env) for name in ("a", "b")]
    for server in app_servers:
        server.start()
        stack.callback(server.stop)
    for server in app_servers:
        server.wait_ready()
    return app_servers


def fetch_each_page(base: str) -> None:
    """GET every path once; exit unless each answers 200."""
    reader = servers.Browser(base)
    for paths in PAGES.values():
        for path in paths:
            status = reader.get(path).status
            if status != 200:
                sys.exit(f"GET {path} answered {status} before the load started")


def run_wrk(work: Path, base: str, duration: int, connections: int) -> dict:
    """Load every page at once, each with its share of the connections.

    Returns each page's results, by name (see `parse`).
    """
    script = work / "paths.lua"
    script.write_text(WRK_SCRIPT)
    each = connections // len(PAGES)
    say(
        f"wrk: {duration} s, {connections} connections "
        f"({each} per page) via nginx to 2 x gunicorn (2 workers each)"
    )
    runs = {
        name: subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{each}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script,
                base,
                "--",
                *paths,
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, paths in PAGES.items()
    }
    return {
        name: parse(run.communicate(timeout=duration + 60)[0])
        for name, run in runs.items()
    }


def parse(output: str) -> dict:
    def number(pattern: str) -> float:
        found = re.search(pattern, output)
        if not found:
            raise RuntimeError(f"not in wrk's output ({pattern}):\n{output}")
        return float(found.group(1))

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in")),
        "p50": milliseconds(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)),
        "p99": milliseconds(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),
        "non2xx": int(number(r"NON2XX (\d+)")),
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def report(results: dict) -> int:
    print(f"{'page':<8} {'req/s':>9} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'non-2xx':>8} {'sock err':>8}")  # fmt: skip
    for name, r in results.items():
        print(
            f"{name:<8} {r['rps']:>9.1f} {r['requests']:>9} {r['p50']:>8.2f} "
            f"{r['p99']:>8.2f} {r['non2xx']:>8} {r['socket_errors']:>8}"
        )
    total = {
        key: sum(r[key] for r in results.values())
        for key in ("rps", "requests", "non2xx", "socket_errors")
    }
    print(
        f"{'all':<8} {total['rps']:>9.1f} {total['requests']:>9} {'':>8} {'':>8} "
        f"{total['non2xx']:>8} {total['socket_errors']:>8}"
    )
    return total["non2xx"] + total["socket_errors"]


def say(message: str) -> None:
    print(f"-- {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
