"""Serve the two benchmark articles from Wagtail 8, under gunicorn.

    python3 bench/wagtail_baseline/serve.py --snapshots FILE \\
        --database-url postgres://USER:PW@HOST:PORT/DBNAME \\
        --bind 127.0.0.1:PORT --urls-out FILE

1. Makes (or reuses) a virtualenv at ~/.cache/newsroom-bench/wagtail-venv with
   requirements.txt beside this file (made anew when that file changes), and
   runs itself again inside it.
2. Migrates the database (which must exist; the caller creates and drops it),
   loads the "seed" and "large" articles of FILE, and writes their paths as
   JSON to --urls-out: {"seed": "/world/.../", "large": "/desk-0/.../"}.
3. Becomes gunicorn (exec, same pid and process group): 2 sync workers, no
   access log, no max_requests. Stop it by killing its process group.
"""

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
VENV = Path.home() / ".cache" / "newsroom-bench" / "wagtail-venv"
STAMP = VENV / "requirements.sha256"  # the hash of the requirements it holds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", required=True, type=Path)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--bind", required=True, help="HOST:PORT")
    parser.add_argument("--urls-out", required=True, type=Path)
    args = parser.parse_args()

    if Path(sys.prefix).resolve() != VENV.resolve():
        ensure_venv()
        # Paths made absolute first: the second run works from this folder.
        argv = [
            "--snapshots", str(args.snapshots.resolve()),
            "--database-url", args.database_url,
            "--bind", args.bind,
            "--urls-out", str(args.urls_out.resolve()),
        ]  # fmt: skip
        python = str(VENV / "bin" / "python")
        # Nothing of the caller's Python setup leaks into the venv's.
        env = {
            k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")
        }
        os.execve(python, [python, str(Path(__file__).resolve()), *argv], env)

    # Also keeps gunicorn off any gunicorn.conf.py in the caller's folder.
    os.chdir(HERE)
    sys.path.insert(0, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "wtsite.settings"
    os.environ["DATABASE_URL"] = args.database_url
    prepare_database(args.snapshots, args.urls_out)

    os.environ.pop("GUNICORN_CMD_ARGS", None)  # nothing but the options below
    gunicorn = str(VENV / "bin" / "gunicorn")
    os.execv(gunicorn, [
        gunicorn, "wtsite.wsgi:application",
        "--workers", "2", "--worker-class", "sync", "--bind", args.bind,
        # gunicorn's default, and no --access-logfile: no access log.
        "--max-requests", "0",
        # As the Newsroom's gunicorn.conf.py: its default path is shared by
        # every gunicorn of the machine, so two servers at once would clash.
        "--no-control-socket",
    ])  # fmt: skip


def ensure_venv() -> None:
    """(Re)make the venv unless it holds exactly this requirements.txt."""
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    # --clear: a changed requirements.txt gets a fresh venv, no leftovers.
    print(f"serve.py: installing requirements.txt into a new {VENV}", file=sys.stderr)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")  # only once the install succeeded


def prepare_database(snapshots: Path, urls_out: Path) -> None:
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_snapshots", str(snapshots), urls_out=str(urls_out))
    connections.close_all()  # the workers open their own


if __name__ == "__main__":
    main()
