#!/usr/bin/env python3
"""Copy the browser's ES modules from node_modules to static/vendor/, or check them.

    npm ci --no-audit --no-fund --ignore-scripts && python3 tools/vendor_js.py
    python3 tools/vendor_js.py --check

The document editor runs on ProseMirror, from npm and pinned in
package-lock.json. Its packages ship ES modules (`dist/index.js`) that import
each other by bare name (`from 'prosemirror-model'`), which a browser cannot
resolve without an import map, and an import map is an inline script, which
the site's Content-Security-Policy refuses. So each module is copied to
`static/vendor/<package>/index.js` with those names rewritten to relative
paths (`from '../prosemirror-model/index.js'`) and nothing else changed, with
its licence beside it. The copies are committed: `python3 dev.py serve` needs
no Node.js.

Vendored: the `dependencies` of package.json (not the test tools in
`devDependencies`) and what they depend on, as the lock file resolves them.
`static/vendor/packages.json` records each package's version, the lock file's
integrity and the SHA-256 of the file copied. `--check` (run by the tests)
fails when the vendored set or a version differs from the lock file, or, with
node_modules installed, when a copy differs from what this script makes now.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
MANIFEST = VENDOR / "packages.json"
# `from 'name'` and `import 'name'` of a bare package name (no path inside it).
BARE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*)(['"])([a-z0-9][a-z0-9._-]*)\2""")


def runtime_packages() -> dict[str, dict]:
    """The lock file's entries for package.json's dependencies and theirs."""
    lock = json.loads((ROOT / "package-lock.json").read_text())
    entries = lock["packages"]
    wanted = list(entries[""].get("dependencies", {}))
    found: dict[str, dict] = {}
    while wanted:
        name = wanted.pop()
        if name in found:
            continue
        entry = entries[f"node_modules/{name}"]
        found[name] = entry
        wanted.extend(entry.get("dependencies", {}))
    return dict(sorted(found.items()))


def module_file(name: str) -> Path:
    """The package's ES module entry point, as its package.json names it."""
    folder = MODULES / name
    meta = json.loads((folder / "package.json").read_text())
    exports = meta.get("exports", {})
    entry = exports.get(".", exports) if isinstance(exports, dict) else {}
    path = entry.get("import") if isinstance(entry, dict) else None
    if isinstance(path, dict):  # {"types": ..., "default": ...}
        path = path.get("default")
    return folder / (path or meta["module"])


def rewrite(source: str, packages: dict) -> str:
    def relative(match: re.Match) -> str:
        keyword, quote, name = match.groups()
        if name not in packages:
            sys.exit(f"{name} is imported but is not a vendored package")
        return f"{keyword}{quote}../{name}/index.js{quote}"

    return BARE_IMPORT.sub(relative, source)


def vendored(packages: dict) -> dict[str, bytes]:
    """What static/vendor/ should hold, made from node_modules: path -> bytes."""
    files: dict[str, bytes] = {}
    for name in packages:
        files[f"{name}/index.js"] = rewrite(
            module_file(name).read_text(encoding="utf-8"), packages
        ).encode()
        licence = next((MODULES / name).glob("LICEN[CS]E*"))
        files[f"{name}/LICENSE"] = licence.read_bytes()
    return files


def manifest(packages: dict, files: dict[str, bytes]) -> str:
    data = {
        name: {
            "version": entry["version"],
            "integrity": entry["integrity"],
            "sha256": hashlib.sha256(files[f"{name}/index.js"]).hexdigest(),
        }
        for name, entry in packages.items()
    }
    return json.dumps(data, indent=2) + "\n"


def write() -> None:
    packages = runtime_packages()
    files = vendored(packages)
    shutil.rmtree(VENDOR, ignore_errors=True)
    for path, content in files.items():
        (VENDOR / path).parent.mkdir(parents=True, exist_ok=True)
        (VENDOR / path).write_bytes(content)
    MANIFEST.write_text(manifest(packages, files))
    print(f"Vendored {len(packages)} packages into {VENDOR.relative_to(ROOT)}/")


def check() -> list[str]:
    """Say what differs between static/vendor/ and the lock file (and node_modules)."""
    packages = runtime_packages()
    recorded = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    problems = []
    for name in sorted(set(packages) | set(recorded)):
        want = packages.get(name, {}).get("version")
        have = recorded.get(name, {}).get("version")
        if want != have:
            problems.append(f"{name}: lock file {want}, vendored {have}")
        elif not _intact(name, recorded[name]["sha256"]):
            problems.append(f"{name}: static/vendor/{name}/ was changed by hand")
    if not problems and MODULES.exists():
        for path, content in vendored(packages).items():
            if (VENDOR / path).read_bytes() != content:
                problems.append(f"static/vendor/{path} differs from node_modules")
    return problems


def _intact(name: str, sha256: str) -> bool:
    module, licence = VENDOR / name / "index.js", VENDOR / name / "LICENSE"
    if not (module.exists() and licence.exists()):
        return False
    return hashlib.sha256(module.read_bytes()).hexdigest() == sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check, write nothing")
    if parser.parse_args().check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            sys.exit(
                "static/vendor/ does not match package-lock.json: "
                "run `npm ci` then `python3 tools/vendor_js.py`."
            )
        print("static/vendor/ matches package-lock.json")
    else:
        write()


if __name__ == "__main__":
    main()
