"""Article pages over HTTP: gunicorn cold and warm, against nginx serving the same HTML.

    apt-get install -y wrk nginx redis-server   # once; gunicorn: requirements.txt
    DATABASE_URL=postgres://user:password@127.0.0.1:5432/newsroom \\
        .venv/bin/python bench/site_bench.py [--duration 10] [--rounds 3] [--wagtail]

It checks for gunicorn, wrk, nginx and redis-server first and says what is
missing; it installs nothing (--wagtail needs the Wagtail anchor set up, see
below). Against the PostgreSQL server
of DATABASE_URL (the role needs CREATEDB) it creates a throwaway database
`<name>_bench_<pid>`, migrates it, loads the demo content (`manage.py
load_demo`, with DEBUG=1 for that step only: the seed article) and a large
article (`articles.testing.factories.large_body()`: 20 sections, 10 tables of
30 x 8), then for each article page runs `wrk -t2 -c8 -d10s --latency` against:

    nginx        the very same HTML (fetched from the site) as static files
    wagtail      with --wagtail: the shared Wagtail anchor, a standard Wagtail 8
                 serving the same two articles (../shared/bench/wagtail-anchor,
                 its README), the targets' baseline
    cold         gunicorn, PAGE_CACHE=0 BODY_CACHE=0: every request a true render
    warm-local   gunicorn, caches on (local memory, one per worker), primed
    warm-redis   gunicorn, caches on in a private redis-server, primed

gunicorn runs 2 sync workers on 127.0.0.1 with DEBUG off, a SECRET_KEY and
persistent database connections (CONN_MAX_AGE=60). nginx, wagtail and cold are
measured in turn, --rounds times (3), all servers up, and their medians shown:
the machine's speed drifts during a run. Prints requests/s, p50 and p99
latency, each with its ratio to nginx, the peak RSS of a gunicorn worker
(VmHWM of the worker processes), and the CPU time per request of the serving
processes and of PostgreSQL (from /proc, over the wrk run). Every process it
started (gunicorn, nginx, redis-server) is stopped and the database dropped at
the end, on errors and Ctrl+C included. wrk, the servers and PostgreSQL share
the machine's cores: figures are indicative, compare them within one run.

The Wagtail anchor: run its `setup.sh` once (it makes its virtualenv and
project under ANCHOR_ROOT, default /tmp/wagtail-anchor). With --wagtail its
project is migrated into a second throwaway database `<name>_bench_<pid>_wagtail`,
loaded with its own `load_content.py` (/seed/ and /large/) and served by its
gunicorn with the same workers and persistent connections as ours. On this
machine, quiet, it takes about 4.2-5.0 ms of CPU per request for the seed and
26-28 ms for the large article, with 5 queries.

One script over 400 lines: a benchmark is read top to bottom, and the servers it
starts come from articles/testing/servers.py; what is left is its own steps.
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.testing import servers  # noqa: E402
from articles.testing.servers import free_port  # noqa: E402

PYTHON = sys.executable
SEED_URL = "/world/kazakh-president-joins-closed-csto-talks/"
MODES = ("nginx", "wagtail", "cold", "warm-local", "warm-redis")
ANCHOR = ROOT.parent / "shared" / "bench" / "wagtail-anchor"
# Where the anchor's setup.sh puts its virtualenv and project by default.
ANCHOR_ROOT = "/tmp/wagtail-anchor"  # noqa: S108 - the anchor's choice, only read
# Two workers, one per core, as the anchor's bench.sh runs nginx: the physical
# limit the ratios are taken against.
NGINX_CONF = """worker_processes 2; pid {dir}/nginx.pid; error_log {dir}/error.log warn;
daemon on;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; default_type text/html;
  client_body_temp_path {dir}/tmp/body; proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi; uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; }} }}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="wrk runs of nginx, Wagtail and cold, taken in turn (medians shown)",
    )
    parser.add_argument(
        "--wagtail",
        action="store_true",
        help="also measure the Wagtail anchor (../shared/bench/wagtail-anchor) "
        "serving the same two articles, as the baseline of the targets",
    )
    parser.add_argument(
        "--anchor", type=Path, default=ANCHOR, help="the Wagtail anchor's folder"
    )
    parser.add_argument("--load-large", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_large:
        return load_large_article()
    check_tools()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (see this file's docstring).")
    try:
        with Bench(
            url,
            args.duration,
            rounds=args.rounds,
            wagtail=args.anchor if args.wagtail else None,
        ) as bench:
            bench.run()
    except KeyboardInterrupt:
        sys.exit("Interrupted; the servers are stopped and the database dropped.")


def check_tools() -> None:
    missing = []
    if not (Path(PYTHON).parent / "gunicorn").exists():
        missing.append("gunicorn (pip install -r requirements.txt)")
    for tool in ("wrk", "nginx", "redis-server"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (apt-get install -y wrk nginx redis-server)")
    if missing:
        sys.exit("Missing: " + "; ".join(missing))


def load_large_article() -> None:
    """Run in a subprocess against the throwaway database: print the article's URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.testing.factories import large_body, make_article

    article = make_article(large_body(), publish=True, title="A very long article")
    print(article.get_absolute_url())


class Bench:
    def __init__(
        self, database_url: str, duration: int, *, rounds: int, wagtail: Path | None
    ):
        self.duration = duration
        self.wagtail = wagtail
        self.tmp = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
        self.tmp.chmod(0o755)  # nginx's workers run as another user
        self.processes: list[subprocess.Popen] = []
        self.nginx_pid_file = self.tmp / "nginx" / "nginx.pid"
        self.database_url, self.admin_url, self.database = _throwaway(database_url)
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CONN_MAX_AGE": "60",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Plain HTTP on loopback, static files from the source folders.
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            # The application alone: no access log line per request, and no
            # worker replaced every 1,000 requests (gunicorn.conf.py's defaults).
            "GUNICORN_ACCESS_LOG": "off",
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.env.pop("REDIS_URL", None)
        self.rounds = rounds
        self.server_groups: dict[str, int] = {}  # gunicorn's pid (and group) by mode
        self.results: dict[tuple[str, str], list[dict]] = {}

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._interrupted)
        return self

    def __exit__(self, *exc):
        self.stop_all()
        for database in (self.database, f"{self.database}_wagtail"):
            with contextlib.suppress(Exception):
                _drop_database(self.admin_url, database)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def _interrupted(self, signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # --- steps

    def run(self) -> None:
        say(f"database {self.database} (throwaway)")
        _create_database(self.admin_url, self.database)
        manage = [PYTHON, "manage.py"]
        self.call([*manage, "migrate", "--noinput", "-v", "0"])
        self.call([*manage, "load_demo"], DEBUG="1")
        large = self.call([PYTHON, __file__, "--load-large"]).strip().splitlines()[-1]
        pages = {"seed": SEED_URL, "large": large}
        say(f"pages: {pages}")

        with contextlib.ExitStack() as servers:
            # Interleaved rounds, every server up: the machine's speed drifts
            # during a run, and the ratios must not take that for a difference.
            cold = servers.enter_context(
                self.gunicorn("cold", PAGE_CACHE="0", BODY_CACHE="0")
            )
            html = {name: fetch(cold + path) for name, path in pages.items()}
            targets = {"nginx": servers.enter_context(self.nginx(pages, html))}
            paths = {"nginx": pages, "cold": pages}
            if self.wagtail:
                targets["wagtail"], paths["wagtail"] = servers.enter_context(
                    self.wagtail_server(pages)
                )
            targets["cold"] = cold
            for number in range(1, self.rounds + 1):
                say(f"round {number} of {self.rounds}")
                for page in pages:
                    for mode, base in targets.items():
                        self.measure(mode, page, base + paths[mode][page])
        with self.gunicorn("warm-local") as base:
            for name, path in pages.items():
                self.measure("warm-local", name, base + path, prime=True)
        with (
            self.redis() as redis_url,
            self.gunicorn("warm-redis", REDIS_URL=redis_url) as base,
        ):
            for name, path in pages.items():
                self.measure("warm-redis", name, base + path, prime=True)
        self.report(pages, html)

    def call(self, command: list[str], **env) -> str:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def measure(self, mode: str, page: str, url: str, *, prime: bool = False) -> None:
        if prime:  # each worker (and its local cache) serves the page a few times
            for _ in range(20):
                fetch(url)
        else:
            fetch(url)
        before = cpu_seconds()
        figures = wrk(url, self.duration)
        used = cpu_used(before, cpu_seconds())
        # CPU per request: the application's (this gunicorn's process group,
        # or nginx) and the database's.
        server = self.server_groups.get(mode, "nginx")
        figures["app_cpu"] = 1000 * used.get(server, 0) / figures["n"]
        figures["db_cpu"] = 1000 * used.get("postgres", 0) / figures["n"]
        figures["rss"] = self.worker_peak_rss(server) if mode != "nginx" else None
        self.results.setdefault((mode, page), []).append(figures)
        say(
            f"{mode:10} {page:5} {figures['rps']:9.1f} req/s  "
            f"p50 {figures['p50']:7.2f} ms  p99 {figures['p99']:7.2f} ms  "
            f"CPU/request: app {figures['app_cpu']:.2f} ms, "
            f"PostgreSQL {figures['db_cpu']:.2f} ms"
        )

    # --- servers

    @contextlib.contextmanager
    def gunicorn(self, name: str, **env):
        port = free_port()
        pid_file = self.tmp / f"gunicorn-{name}.pid"
        process = self.start(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "newsroom.wsgi:application",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--pid",
                str(pid_file),
                "--log-level",
                "warning",
            ],  # fmt: skip
            env={**self.env, **env},
            log=self.tmp / f"gunicorn-{name}.log",
        )
        self.server_groups[name] = process.pid  # its own process group
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/", process, self.tmp / f"gunicorn-{name}.log")
            yield base
        finally:
            self.stop(process)

    @contextlib.contextmanager
    def wagtail_server(self, pages: dict):
        """The Wagtail anchor serving its two articles, as the targets' baseline.

        Its own virtualenv and project (from its setup.sh), a second
        throwaway database loaded by its load_content.py, and its gunicorn
        with the same workers and persistent connections as ours.
        """
        root = Path(os.environ.get("ANCHOR_ROOT", ANCHOR_ROOT))
        venv, site = root / "venv" / "bin", root / "site"
        if not (venv / "gunicorn").exists():
            sys.exit(f"No {venv / 'gunicorn'}: run {self.wagtail / 'setup.sh'} first.")
        database = f"{self.database}_wagtail"
        _create_database(self.admin_url, database)
        env = {
            **os.environ,
            "ANCHOR_ROOT": str(root),
            "DATABASE_URL": self.database_url.replace(self.database, database),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        say("Wagtail anchor: migrating, loading")
        for command in (
            [str(venv / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
            [str(venv / "python"), str(self.wagtail / "load_content.py")],
        ):
            subprocess.run(command, cwd=site, env=env, check=True, capture_output=True)
        port = free_port()
        log = self.tmp / "gunicorn-wagtail.log"
        process = self.start(
            [
                str(venv / "gunicorn"),
                "--chdir",
                str(site),
                "anchor_site.wsgi:application",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--no-control-socket",
            ],  # fmt: skip
            env=env,
            log=log,
        )
        self.server_groups["wagtail"] = process.pid
        base = f"http://127.0.0.1:{port}"
        paths = {"seed": "/seed/", "large": "/large/"}
        try:
            wait_for(base + paths["seed"], process, log)
            yield base, paths
        finally:
            self.stop(process)

    @contextlib.contextmanager
    def nginx(self, pages: dict, html: dict):
        directory = self.tmp / "nginx"
        for sub in ("www", "tmp"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        for name, path in pages.items():
            target = directory / "www" / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html[name])
        port = free_port()
        conf = directory / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=directory, port=port))
        prefix = ["nginx", "-c", str(conf), "-p", f"{directory}/"]
        subprocess.run([*prefix, "-t", "-q"], check=True)
        subprocess.run(prefix, check=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + pages["seed"], None, directory / "error.log")
            yield base
        finally:
            self.stop_nginx()

    @contextlib.contextmanager
    def redis(self):
        server = servers.RedisServer(self.tmp / "redis")
        server.start()
        try:
            yield server.url
        finally:
            server.stop()

    def start(self, command, *, env, log: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def stop_nginx(self) -> None:
        if self.nginx_pid_file.exists():
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(self.nginx_pid_file.read_text()), signal.SIGQUIT)
            for _ in range(50):
                if not self.nginx_pid_file.exists():
                    break
                time.sleep(0.1)

    def stop_all(self) -> None:
        for process in list(self.processes):
            self.stop(process)
        self.stop_nginx()

    def worker_peak_rss(self, master: int) -> int:
        """The largest VmHWM (peak resident memory) of a gunicorn's workers, in KiB."""
        peaks = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                text = status.read_text()
                if re.search(rf"^PPid:\s+{master}$", text, re.MULTILINE):
                    peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)[1]))
        return max(peaks, default=0)

    # --- output

    def report(self, pages: dict, html: dict) -> None:
        print()
        print(
            f"wrk -t2 -c{CONNECTIONS} -d{self.duration}s --latency; gunicorn 2 sync "
            "workers; PostgreSQL; ratios are to nginx serving the same HTML; "
            f"nginx, wagtail and cold: median of {self.rounds} round(s) taken in turn"
        )
        print(
            f"{'page':6} {'mode':11} {'req/s':>9} {'×nginx':>7} {'p50 ms':>8} "
            f"{'×nginx':>7} {'p99 ms':>8} {'×nginx':>7} {'worker RSS':>11} "
            f"{'app CPU ms':>10} {'PG CPU ms':>9}"
        )
        for page in pages:
            nginx = self.median("nginx", page)
            for mode in MODES:
                if (mode, page) not in self.results:
                    continue
                figures = self.median(mode, page)
                rss = f"{figures['rss'] / 1024:8.1f} MiB" if figures["rss"] else ""
                print(
                    f"{page:6} {mode:11} {figures['rps']:9.1f} "
                    f"{figures['rps'] / nginx['rps']:7.3f} {figures['p50']:8.2f} "
                    f"{figures['p50'] / nginx['p50']:7.1f} {figures['p99']:8.2f} "
                    f"{figures['p99'] / nginx['p99']:7.1f} {rss:>11} "
                    f"{figures['app_cpu']:10.2f} {figures['db_cpu']:9.2f}"
                )
        print(
            "CPU ms: per request, user and system, of the serving processes "
            "(the gunicorn's process group, or nginx) and of PostgreSQL, during "
            "the wrk run"
        )
        for page in pages:
            if ("wagtail", page) not in self.results:
                continue
            # The target: cold ahead of Wagtail. CPU per request depends less
            # on the machine's load than requests/s do. Each round's ratio
            # compares two runs made one after the other.
            rounds = list(
                zip(
                    self.results[("cold", page)],
                    self.results[("wagtail", page)],
                    strict=True,
                )
            )
            rps = [cold["rps"] / wagtail["rps"] for cold, wagtail in rounds]
            cpu = [cold["app_cpu"] / wagtail["app_cpu"] for cold, wagtail in rounds]
            print(
                f"{page}: cold serves {statistics.median(rps):.2f}x Wagtail's "
                f"requests/s (rounds: {', '.join(f'{r:.2f}' for r in rps)}) with "
                f"{statistics.median(cpu):.2f}x its app CPU per request "
                f"(rounds: {', '.join(f'{r:.2f}' for r in cpu)})"
            )
        print(
            "page sizes: "
            + ", ".join(
                f"{name} {len(body) / 1024:.1f} KiB" for name, body in html.items()
            )
        )

    def median(self, mode: str, page: str) -> dict:
        """Each figure's median over the rounds (the peak RSS: its largest)."""
        runs = self.results[(mode, page)]
        figures = {
            key: statistics.median(run[key] for run in runs)
            for key in ("rps", "p50", "p99", "app_cpu", "db_cpu")
        }
        figures["rss"] = max((run["rss"] or 0) for run in runs)
        return figures


CONNECTIONS = 8


def wrk(url: str, duration: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        sys.exit(f"{url}: {errors[1]} error responses\n{output}")
    return {
        "n": int(re.search(r"(\d+) requests in", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1]),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1]),
    }


def cpu_seconds() -> dict[int, tuple[str, int, float]]:
    """Each process's name, process group and CPU time (user and system) so far."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            text = stat.read_text()
            # The name is in brackets and may hold spaces: split after it.
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text[text.rindex(")") + 2 :].split()
            seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            processes[int(stat.parent.name)] = (name, int(fields[2]), seconds)
    return processes


def cpu_used(before: dict, after: dict) -> dict[str | int, float]:
    """CPU seconds used between two readings, by program name and by process group.

    A process that ended in between is not counted: the servers keep theirs
    during a run (gunicorn's max_requests is off).
    """
    used: dict[str | int, float] = {}
    for pid, (name, group, seconds) in after.items():
        spent = seconds - before.get(pid, (name, group, 0.0))[2]
        used[name] = used.get(name, 0.0) + spent
        used[group] = used.get(group, 0.0) + spent
    return used


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def fetch(url: str) -> bytes:
    """The page's HTML; a redirect or an error stops the benchmark."""
    # Only http URLs of the servers this script started on loopback.
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        if response.status != 200 or response.url != url:
            sys.exit(f"{url}: answered {response.status} from {response.url}")
        return response.read()


def wait_for(url: str, process, log: Path) -> None:
    for _ in range(300):
        if process is not None and process.poll() is not None:
            sys.exit(f"{url}: the server stopped:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError):
            fetch(url)
            return
        time.sleep(0.1)
    sys.exit(f"{url} did not answer:\n{log.read_text(errors='replace')}")


def _throwaway(url: str) -> tuple[str, str, str]:
    """The throwaway database's URL, the server's `postgres` database URL, its name."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'newsroom'}_bench_{os.getpid()}"
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        urlunsplit(parts._replace(path="/postgres")),
        name,
    )


def _create_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def say(message: str) -> None:
    print(f"== {message}", flush=True)


if __name__ == "__main__":
    main()
