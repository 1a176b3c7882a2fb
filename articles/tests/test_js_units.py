"""The front-end modules' own unit tests (static/js/*/tests), run by Node.js."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GRID_TESTS = ROOT / "static" / "js" / "grid" / "tests"


@pytest.mark.slow
def test_the_grid_modules_pass_their_node_tests(node_command):
    """Parsing pasted cells and the table operations, under `node --test`."""
    # Files, not the folder: Node 21 and later read a folder given to --test
    # as a file to run (nodejs/node#50219).
    files = sorted(GRID_TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs in {GRID_TESTS}"
    done = subprocess.run(
        [*node_command, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"node --test failed:\n{done.stdout}{done.stderr}"
