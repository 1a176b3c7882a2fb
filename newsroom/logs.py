"""One JSON object per log line, for log collectors (Django's and gunicorn's).

Each line has `time` (UTC, ISO 8601), `level`, `logger` and `message`, then
whatever the call passed in `extra` that JSON can hold (gunicorn's access
log passes the request's fields), and `exception` with the traceback when
there is one. Used by LOGGING in settings.py and by gunicorn.conf.py; it
imports nothing from Django so that gunicorn can load it before the app.
"""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has: anything else on a record came from `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = _plain(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _plain(value):
    """Keep what JSON can say; name anything else (Django's `request`) by type."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | dict):
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            return repr(value)
        return value
    if type(value).__name__.endswith("Request"):
        method, path = getattr(value, "method", ""), getattr(value, "path", "")
        return f"{method} {path}".strip()
    return str(value)
