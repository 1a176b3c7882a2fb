"""Throwaway servers on loopback: system tests, test_caching.py, bench/load_test.py.

A private PostgreSQL cluster (initdb in a temporary folder, trust auth, fsync
off; never the machine's own cluster), redis-server, gunicorn app servers, an
nginx load balancer and Varnish with the repository's VCL. Each listens on
127.0.0.1 on a free port, runs in its own process group (PostgreSQL: under
pg_ctl) and writes a log file in the run's folder; `stop()` ends it (TERM,
then KILL after a timeout) and every wait has a deadline. Also `Browser`, a
small HTTP client that keeps cookies and fills in Django forms (CSRF
included) as a person would, and `manage()`, which runs manage.py with a
server's environment.

As root, PostgreSQL runs as the `postgres` account (initdb refuses root).

Over 400 lines: test infrastructure, one class per kind of server, each
small; split it if a server type grows a life of its own.
"""

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.message import Message
from http.client import HTTPConnection
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
SECRET_KEY = "system-tests-only-secret-key-never-used-anywhere-else"
# Settings the servers must not inherit from whoever runs the tests.
NOT_INHERITED = {
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "CACHE_VERSION",
    "PAGE_CACHE",
    "BODY_CACHE",
    "DJANGO_SETTINGS_MODULE",
    "DB_POOL",
    "SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "STATIC_ROOT",
}


# --- tools


def postgres_bindir() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: PG_BIN, Debian's newest, PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()),
            key=lambda p: int(p.name),
            reverse=True,
        )
        candidates += [version / "bin" for version in versions]
    if shutil.which("pg_ctl"):
        candidates.append(Path(shutil.which("pg_ctl")).resolve().parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def missing_tools(*, load_balancer: bool = False) -> list[str]:
    """What these servers need and this machine lacks, as install hints."""
    missing = []
    if postgres_bindir() is None:
        missing.append(
            "PostgreSQL's server programs (initdb, pg_ctl): apt-get install "
            "postgresql, or set PG_BIN to their folder"
        )
    elif os.geteuid() == 0 and _account("postgres") is None:
        missing.append("a 'postgres' account to run PostgreSQL as (not as root)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server: apt-get install redis-server")
    if not GUNICORN.exists():
        missing.append(
            f"gunicorn in {GUNICORN.parent}: pip install -r requirements.txt"
        )
    if load_balancer:
        for tool in ("nginx", "wrk"):
            if shutil.which(tool) is None:
                missing.append(f"{tool}: apt-get install {tool}")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.05, what: str) -> None:
    """Call `check` until it returns true; raise TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path} unreadable)"
    return "\n".join(text.splitlines()[-lines:])


def run(command: list, *, timeout: float, **kwargs) -> str:
    """Run a command to completion; raise RuntimeError with its output if it fails."""
    done = subprocess.run(
        [str(part) for part in command],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(map(str, command))} exited with {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return done.stdout


class Process:
    """A server in its own process group, with its output in a log file."""

    def __init__(self, command: list, *, log: Path, env: dict | None = None):
        self.log = log
        with log.open("ab") as output:
            self.popen = subprocess.Popen(
                [str(part) for part in command],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 10) -> None:
        """TERM the whole group, KILL whatever is left after `timeout` s."""
        if self.running:
            _signal_group(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(self.popen.pid, signal.SIGKILL)  # workers left behind
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def _account(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


# --- PostgreSQL


class PrivatePostgres:
    """A PostgreSQL cluster of its own in `directory`, on a free port."""

    def __init__(self, directory: Path, *, bindir: Path | None = None):
        self.bindir = bindir or postgres_bindir()
        self.dir = directory
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.port = free_port()
        account = _account("postgres") if os.geteuid() == 0 else None
        self._as = (
            {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
            if account
            else {}
        )

    def _pg(self, tool: str, *args, timeout: float = 60) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return run(
            [self.bindir / tool, *args],
            timeout=timeout,
            env=env,
            cwd=self.dir,
            **self._as,
        )

    def init(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self._as:
            os.chown(self.dir, self._as["user"], self._as["group"])
        self._pg(
            "initdb",
            "-D",
            self.data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )

    def start(self, timeout: float = 30) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-t",
            int(timeout),
            "-o",
            options,
            "start",
            timeout=timeout + 10,
        )
        wait_until(self.ready, timeout=timeout, what="PostgreSQL accepting connections")

    def stop(self, mode: str = "fast", timeout: float = 30) -> None:
        """`pg_ctl stop`; `immediate`, then KILL, if a mode does not work in time."""
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            self._pg(
                "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", int(timeout), "stop",
                timeout=timeout + 10,
            )  # fmt: skip
        except (RuntimeError, subprocess.TimeoutExpired):
            if mode != "immediate":
                return self.stop("immediate", timeout=10)
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)

    def ensure_running(self) -> None:
        if not self.ready():
            self.start()

    def ready(self) -> bool:
        try:
            self.execute("SELECT 1", timeout=2)
        except Exception:
            return False
        return True

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def execute(self, statement, *, timeout: float = 30) -> None:
        import psycopg

        with psycopg.connect(
            self.url("postgres"), autocommit=True, connect_timeout=timeout
        ) as connection:
            connection.execute(statement)

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create a database (a copy of `template`, if given); return its URL."""
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        self.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


# --- Redis, gunicorn, nginx


class RedisServer:
    """redis-server on a free port, nothing saved to disk; can start again."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.process: Process | None = None

    def start(self, timeout: float = 10) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = Process(
            [
                shutil.which("redis-server"),
                "--bind",
                HOST,
                "--port",
                self.port,
                "--dir",
                self.dir,
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            log=self.dir / "redis.log",
        )
        wait_until(self.ready, timeout=timeout, what=f"redis-server on {self.port}")

    def ready(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as client:
                client.sendall(b"PING\r\n")
                return client.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def keys(self, pattern: str) -> list[bytes]:
        import redis

        with redis.Redis(host=HOST, port=self.port, socket_timeout=2) as client:
            return client.keys(pattern)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


def site_env(
    database_url: str, redis_url: str = "", *, static_root: Path | None = None, **extra
) -> dict:
    """The environment of an app server (or manage.py) in production mode.

    Plain HTTP on loopback: no redirect to HTTPS. With `static_root` (where
    `collectstatic` ran), static files are the hashed ones, as in production.
    """
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        # Persistent connections, as in production: they must survive a
        # database restart (a broken one is dropped, a new one opened).
        CONN_MAX_AGE="60",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    if static_root is None:
        env["STATIC_MANIFEST"] = "0"
    else:
        env.update(STATIC_MANIFEST="1", STATIC_ROOT=str(static_root))
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(*args: str, env: dict, timeout: float = 180) -> str:
    """Run `manage.py <args>` with `env`; return its output."""
    return run([PYTHON, "manage.py", *args], timeout=timeout, env=env, cwd=ROOT)


class AppServer:
    """gunicorn serving newsroom.wsgi with sync workers, on a free port."""

    def __init__(self, name: str, directory: Path, env: dict, *, workers: int = 2):
        self.name = name
        self.dir = directory
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log = directory / f"gunicorn-{name}.log"
        self.process: Process | None = None

    def start(self) -> None:
        # Command-line options win over gunicorn.conf.py, which gunicorn reads
        # from the working directory when it exists.
        self.process = Process(
            [
                GUNICORN,
                "newsroom.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                self.workers,
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--pid",
                self.dir / f"gunicorn-{self.name}.pid",
                "--error-logfile",
                "-",
            ],  # fmt: skip
            log=self.log,
            env=self.env,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        def answers() -> bool:
            if not self.process.running:
                raise RuntimeError(f"gunicorn {self.name} exited:\n{tail(self.log)}")
            try:
                Browser(self.base, timeout=5).get("/robots.txt")
            except OSError:
                return False
            return True

        try:
            wait_until(answers, timeout=timeout, interval=0.1, what=self.name)
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{tail(self.log)}") from None

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


NGINX_CONF = """worker_processes 2; pid {dir}/nginx.pid; daemon off;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp/body; proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi; uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  upstream newsroom {{
{servers}
    keepalive 16;
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://newsroom;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffers 64 16k;
      proxy_max_temp_file_size 0;
    }}
  }}
}}
"""


class LoadBalancer:
    """nginx in the foreground, round-robin over app servers."""

    def __init__(self, directory: Path, upstreams: list[str]):
        self.dir = directory
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.upstreams = upstreams
        self.process: Process | None = None

    def start(self, timeout: float = 10) -> None:
        (self.dir / "tmp").mkdir(parents=True, exist_ok=True)
        (self.dir / "tmp").chmod(0o777)  # nginx's workers run as another user
        servers = "\n".join(
            f"    server {urlsplit(u).netloc} max_fails=0;" for u in self.upstreams
        )
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(dir=self.dir, servers=servers, host=HOST, port=self.port)
        )
        command = [shutil.which("nginx"), "-c", conf, "-p", f"{self.dir}/"]
        run([*command, "-t", "-q"], timeout=30)
        self.process = Process(command, log=self.dir / "nginx.log")

        def answers() -> bool:
            try:
                Browser(self.base, timeout=5).get("/robots.txt")
            except OSError:
                return False
            return True

        wait_until(answers, timeout=timeout, what="nginx")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


# --- Varnish


VARNISH_VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
# newsroom.vcl's per-site part (deploy/varnish/newsroom-site.example.vcl).
VARNISH_SITE_VCL = """# Written by articles/testing/servers.py for one test.
{backends}
acl purgers {{
{purgers}
}}
sub vcl_init {{
  new app = directors.round_robin();
{adds}
}}
"""
VARNISH_BACKEND = """backend app_{number} {{
  .host = "{host}"; .port = "{port}"; .host_header = "{host}";
  .probe = newsroom_healthz; .connect_timeout = 1s; .first_byte_timeout = 30s;
}}"""


def varnishd() -> str | None:
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")


def varnish_missing() -> list[str]:
    """What Varnish with vmod xkey needs and this machine lacks, as install hints."""
    if varnishd() is None:
        return ["varnishd: apt-get install varnish varnish-modules"]
    if not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    ):
        return ["vmod xkey for Varnish: apt-get install varnish-modules"]
    return []


class VarnishServer:
    """varnishd in the foreground with deploy/varnish/newsroom.vcl, on a free port.

    The per-site part of the VCL (backends, director, `purgers` ACL) is
    written into its folder, which is varnishd's vcl_path; the main VCL is
    used as it is in the repository.
    """

    def __init__(self, directory: Path, *, purgers: list[str]):
        self.dir = directory
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.purgers = purgers
        self.log = directory / "varnishd.log"
        self.process: Process | None = None

    def start(self, upstreams: list[str], timeout: float = 30) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        backends = [urlsplit(u) for u in upstreams]
        (self.dir / "newsroom-site.vcl").write_text(
            VARNISH_SITE_VCL.format(
                backends="\n".join(
                    VARNISH_BACKEND.format(number=n, host=b.hostname, port=b.port)
                    for n, b in enumerate(backends)
                ),
                purgers="\n".join(f'  "{address}";' for address in self.purgers),
                adds="\n".join(
                    f"  app.add_backend(app_{n});" for n in range(len(backends))
                ),
            )
        )
        # -j none: no privilege separation, so that root may run it in a
        # temporary folder; -n: its own working directory, never the
        # system service's.
        self.process = Process(
            [
                varnishd(),
                "-F",
                "-j",
                "none",
                "-n",
                self.dir / "work",
                "-a",
                f"{HOST}:{self.port}",
                "-T",
                f"{HOST}:{free_port()}",
                "-f",
                VARNISH_VCL,
                "-p",
                f"vcl_path={self.dir}",
                "-s",
                "malloc,64m",
            ],
            log=self.log,
        )

        def answers() -> bool:
            if not self.process.running:
                raise RuntimeError(f"varnishd exited:\n{tail(self.log)}")
            try:
                Browser(self.base, timeout=5).get("/robots.txt")
            except OSError:
                return False
            return True

        wait_until(answers, timeout=timeout, interval=0.1, what="varnishd")

    def admin(self, *command: str) -> str:
        """Run a varnishadm command; return its output."""
        tool = shutil.which("varnishadm") or "varnishadm"
        return run([tool, "-n", self.dir / "work", *command], timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


# --- an HTTP client


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """An HTTP client for one server: keeps cookies, follows no redirects.

    Every server is asked for the same `host`, as a load balancer passes the
    site's name to each (pages and cache keys depend on it). Cookies marked
    Secure are sent too: the servers here are plain HTTP on loopback. Each
    request has its own connection and a timeout.
    """

    base: str
    timeout: float = 15.0
    host: str = HOST
    cookies: dict = field(default_factory=dict)
    source: str = ""  # the local address to send from (any, if empty)

    def request(self, method: str, path: str, *, form=None, headers=None) -> Response:
        address = urlsplit(self.base)
        sent = {"Host": self.host, "Accept": "text/html,*/*", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check wants a same-origin Referer over HTTPS.
            sent.setdefault("Referer", f"{address.scheme}://{self.host}{path}")
        connection = HTTPConnection(
            address.hostname,
            address.port,
            timeout=self.timeout,
            source_address=(self.source, 0) if self.source else None,
        )
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        self._keep(response.headers.get_all("Set-Cookie") or [])
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)

    def _keep(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            with contextlib.suppress(CookieError):
                jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def form(self, path: str, *, form_xpath: str = "//form[@method='post']") -> dict:
        """GET `path`; return the values its form would post as they stand."""
        response = self.get(path)
        if response.status != 200:
            raise AssertionError(f"GET {path}: {response.status}\n{response.text}")
        return form_values(response.text, form_xpath)

    def login(self, username: str, password: str) -> None:
        """Log in through the admin's login form, CSRF token and all."""
        values = self.form("/admin/login/", form_xpath="//form[@id='login-form']")
        values.update(username=username, password=password, next="/admin/")
        response = self.post("/admin/login/", values)
        if response.status != 302:
            raise AssertionError(
                f"{username} could not log in ({response.status}):\n"
                + re.sub(r"\s+", " ", response.text)[:2000]
            )


def form_values(html: str, form_xpath: str) -> dict:
    """The fields of the first form matching `form_xpath`, as a browser posts them."""
    import lxml.html

    forms = lxml.html.fromstring(html).xpath(form_xpath)
    if not forms:
        raise AssertionError(f"no form {form_xpath} in:\n{html[:2000]}")
    values = {}
    for name, value in forms[0].form_values():
        values.setdefault(name, value)
    return values
