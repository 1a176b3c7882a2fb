#!/usr/bin/env python3
"""Set up and run Newsroom on a laptop, or run its tests. Needs only Python 3.11+.

    python3 dev.py serve [--port 8000]  virtualenv, install, migrate, demo, serve
    python3 dev.py test [pytest args]   virtualenv, install, run the whole suite
    python3 dev.py setup                virtualenv and install only (CI lints with it)

The site uses a SQLite file in this folder unless DATABASE_URL says otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# What production installs, then what development and the tests add: both
# pinned with hashes (requirements*.in say how they are compiled).
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def ensure_environment() -> None:
    """Create the virtualenv and install the requirements when they have changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - says so plainly on an old Python
        sys.exit(
            f"Newsroom needs Python 3.11 or newer; this is {sys.version.split()[0]}."
        )
    if not PYTHON.exists():
        say(f"Creating a virtual environment in {VENV.name}/")
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".requirements.sha256"
    digest = hashlib.sha256()
    for path in REQUIREMENTS:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        say("Installing the pinned requirements (first time: about a minute)")
        run(
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *(arg for path in REQUIREMENTS for arg in ("-r", str(path))),
        )
        stamp.write_text(digest.hexdigest())


def serve(port: int) -> None:
    env = {**os.environ}
    env.setdefault("DEBUG", "1")
    manage = [str(PYTHON), "manage.py"]
    say("Migrating the database")
    run(*manage, "migrate", "--noinput", "-v", "0", env=env)
    say(
        f"Newsroom runs at http://127.0.0.1:{port}/ (admin: http://127.0.0.1:{port}/admin/)"
    )
    say(
        "The sample article: "
        f"http://127.0.0.1:{port}/world/kazakh-president-joins-closed-csto-talks/"
    )
    # The logins last, right above the server's own lines (it says how to stop).
    say("Loading demo content")
    run(*manage, "load_demo", env=env)
    os.chdir(ROOT)
    os.execve(str(PYTHON), [*manage, "runserver", f"127.0.0.1:{port}"], env)


def test(pytest_args: list[str]) -> None:
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "pytest", *pytest_args])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser(
        "serve", help="set up and run the site with demo content"
    )
    serve_parser.add_argument("--port", type=int, default=8000)
    commands.add_parser(
        "test", help="run the whole test suite (extra arguments go to pytest)"
    )
    commands.add_parser("setup", help="create .venv and install the requirements")
    args, rest = parser.parse_known_args()
    if args.command != "test" and rest:
        parser.error(f"unknown arguments: {' '.join(rest)}")
    ensure_environment()
    if args.command == "serve":
        serve(args.port)
    elif args.command == "test":
        test(rest)


if __name__ == "__main__":
    main()
