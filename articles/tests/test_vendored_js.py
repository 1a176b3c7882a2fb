"""The editor's ES modules in static/vendor/ are npm's, as package-lock.json pins."""

import subprocess
import sys
from pathlib import Path

from .conftest import NODE_MODULES, NPM_CI
from .helpers import require_tool

ROOT = Path(__file__).resolve().parents[2]


def test_vendored_modules_match_the_lock_file():
    # Without node_modules the check covers versions and hand edits only.
    require_tool(NODE_MODULES.is_dir(), f"{NODE_MODULES} not found: {NPM_CI}")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "vendor_js.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
