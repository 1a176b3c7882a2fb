"""Settings come from the environment; production refuses to start without a key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    script = (
        "import json; from newsroom import settings as s; db = s.DATABASES['default']; "
        "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
        "'engine': db['ENGINE'], 'name': str(db['NAME']), 'tz': s.TIME_ZONE}))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "TIME_ZONE"}
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_a_laptop_uses_sqlite_in_the_project_folder():
    result = load_settings(DEBUG="1")
    settings = json.loads(result.stdout)
    assert settings["debug"] is True
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"] == str(ROOT / "db.sqlite3")
    assert "localhost" in settings["hosts"]


def test_database_url_selects_postgresql_and_the_rest_comes_from_the_environment():
    result = load_settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://cms:pw@db.example:5432/news",
        ALLOWED_HOSTS="news.example, www.news.example",
        TIME_ZONE="Asia/Almaty",
    )
    settings = json.loads(result.stdout)
    assert settings["debug"] is False
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "news"
    assert settings["hosts"] == ["news.example", "www.news.example"]
    assert settings["tz"] == "Asia/Almaty"
