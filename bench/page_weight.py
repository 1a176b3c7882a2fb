"""HTML bytes of the two benchmark articles, raw and gzipped, beside Wagtail's.

    .venv/bin/python bench/page_weight.py [--save DIR]

Builds a throwaway database (SQLite in memory, or `test_<name>_profile_<pid>`
on PostgreSQL with DATABASE_URL) as bench/render_profile.py does, with the
demo content (the seed article) and the large article
(`articles.testing.factories.large_body()`), renders each page once through
the WSGI handler (DEBUG off, page and body caches off) and prints its size
raw and compressed by `gzip -6 -n` (as the anchor measured),
beside the standard Wagtail 8 anchor's figures for the same content
(../shared/bench/wagtail-anchor/results.md: seed 5,415 bytes, 2,355
gzipped; large 117,801 bytes, 11,853 gzipped). The `-a` rows are the
anchor's own text of both articles (its load_content.py), imported by our
HTML importer: the same words and tables as Wagtail serves, so they are the
fair comparison; the other rows are our demo and `large_body()` placeholder
text. `--save DIR` also writes the pages there (seed.html, large.html...).
The target: gzipped within 10% of Wagtail's on the large article (large-a).
"""

import argparse
import gzip
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = ROOT.parent / "shared" / "bench" / "wagtail-anchor"
# bytes, gzip -6 bytes: ../shared/bench/wagtail-anchor/results.md
WAGTAIL = {"seed": (5415, 2355), "large": (117801, 11853)}


def render_pages() -> dict[str, bytes]:
    sys.path.insert(0, str(ROOT))
    import bench.wsgi_cpu as worker

    with worker.newsroom_in_this_process() as paths:
        from django.test import Client, override_settings

        paths.update(load_anchor_text())
        client = Client()
        pages = {}
        with override_settings(NEWSROOM_PAGE_CACHE=False, NEWSROOM_BODY_CACHE=False):
            for name, path in paths.items():
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                pages[name] = response.content
    return pages


def load_anchor_text() -> dict[str, str]:
    """The anchor's own text of both articles, imported by our HTML importer."""
    from articles import workflow
    from articles.importing import parse
    from articles.testing.factories import UserFactory, make_article

    paths = {}
    for name in ("seed", "large"):
        text = subprocess.run(
            [sys.executable, str(ANCHOR / "load_content.py"), "--html", name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        parsed = parse(text, format="html")
        article = make_article(parsed.to_body(), title=parsed.title, slug=name)
        # Its tables name no source, as in the anchor: approved anyway.
        boss = UserFactory(username=f"anchor-{name}", is_superuser=True)
        workflow.submit(article, by=boss)
        article = workflow.approve(article, by=boss, override_reason="As the anchor")
        paths[f"{name}-a"] = article.get_absolute_url()
    return paths


def gzipped_size(content: bytes) -> int:
    """Bytes after `gzip -6 -n`, as the anchor measured (GNU gzip's deflate
    differs from zlib's by about 1%); zlib's when there is no gzip."""
    if shutil.which("gzip"):
        command = ["gzip", "-6", "-n", "-c"]
        return len(subprocess.run(command, input=content, capture_output=True).stdout)
    return len(gzip.compress(content, compresslevel=6, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the pages to this folder")
    args = parser.parse_args()
    pages = render_pages()
    print(
        f"{'page':6} {'Newsroom':>9} {'gzip -6':>8} {'Wagtail':>9} {'gzip -6':>8}"
        f" {'raw ratio':>9} {'gzip ratio':>10}"
    )
    for name, content in pages.items():
        zipped = gzipped_size(content)
        raw_w, zipped_w = WAGTAIL[name.removesuffix("-a")]
        print(
            f"{name:6} {len(content):9,} {zipped:8,} {raw_w:9,} {zipped_w:8,}"
            f" {len(content) / raw_w:8.3f}x {zipped / zipped_w:9.3f}x"
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.html").write_bytes(content)


if __name__ == "__main__":
    main()
