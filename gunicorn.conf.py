"""gunicorn's settings for Newsroom, all from the environment.

    gunicorn newsroom.wsgi    # run from the project folder: this file is read

GUNICORN_BIND          address to listen on (default 127.0.0.1:8000; behind a
                       load balancer on another host: the server's private
                       address, e.g. 10.0.1.11:8000, reachable only from the
                       load balancer; docs/deploy.md, section 4)
WEB_CONCURRENCY        worker processes (default 2 x CPUs + 1)
GUNICORN_THREADS       threads per worker (default 1: sync workers; more
                       makes them gthread workers, for slow clients and I/O)
GUNICORN_TIMEOUT       seconds a worker may spend on one request before it is
                       killed and replaced (default 30)
GUNICORN_GRACEFUL_TIMEOUT  seconds to finish requests on shutdown (default 30)
GUNICORN_KEEPALIVE     seconds to keep an idle connection (default 5; longer
                       than the load balancer's idle timeout with gthread)
GUNICORN_MAX_REQUESTS  requests after which a worker is replaced, plus up to
                       GUNICORN_MAX_REQUESTS_JITTER more so that workers do not
                       restart together (default 1000 and 100; 0 turns it off)
GUNICORN_ACCESS_LOG    "-" (standard output, the default), a file, or "off"
GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (default: none)
FORWARDED_ALLOW_IPS    addresses of the proxies whose X-Forwarded-Proto gunicorn
                       believes (gunicorn's own variable; default 127.0.0.1,::1)
LOG_LEVEL              gunicorn's own messages (default info)

The app is loaded once in the master before the workers fork (preload_app):
workers start fast and share memory, a broken release fails at start rather
than in every worker, and a code change needs a restart (not a HUP). Nothing
opens a database connection or pool at import, so no connection is shared
across the fork. Logs are JSON lines (newsroom/logs.py): requests on standard
output, gunicorn's own messages on standard error.
"""

import os

from gunicorn.glogging import Logger

from newsroom.logs import JsonFormatter


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what a container may use
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cpus() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
preload_app = True
# Worker heartbeats in memory, not on a disk that may stall (containers): the
# fixed folder gunicorn's docs advise, holding only gunicorn's own temp files.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# gunicorn's control socket (gunicornc) only where asked for: its default path
# is one per user, which several gunicorns on one host would fight over.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "-")
accesslog = None if _access_log.lower() in ("", "off", "none") else _access_log
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JsonLogger(Logger):
    """gunicorn's logs as JSON lines; one line per request with its fields."""

    def _set_handler(self, log, output, fmt, stream=None):
        super()._set_handler(log, output, JsonFormatter(), stream=stream)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(status),
            # Files sent with sendfile() (WhiteNoise) are not counted in `sent`.
            "bytes": getattr(resp, "sent", None) or _content_length(resp),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "host": environ.get("HTTP_HOST", ""),
            "protocol": environ.get("SERVER_PROTOCOL"),
            "referer": environ.get("HTTP_REFERER", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "request_id": environ.get("HTTP_X_REQUEST_ID", ""),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(
                "%s %s %s", fields["method"], fields["path"], status, extra=fields
            )
        except Exception:
            self.exception("Could not log the request")


def _content_length(resp) -> int | None:
    for name, value in resp.headers:
        if name.lower() == "content-length":
            return int(value)
    return None


logger_class = JsonLogger
