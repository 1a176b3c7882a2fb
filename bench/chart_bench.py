"""Chart drawing: matplotlib (what articles/charts uses) against pygal.

    .venv/bin/python bench/chart_bench.py [--rounds 30]

Two tables, as the page draws them: the demo's (3 ports, one series, a bar
chart) and a larger one (12 months, 3 series, a column chart). For each
library: the import time (in a fresh process), the first drawing in this
process, the median and best of `--rounds` drawings, the SVG's size (raw and
gzipped) and what the page's Content-Security-Policy (style-src 'self')
would block in it (`<style>` elements, `style=` attributes), whether it has
a <title> and <desc> and any <script>. matplotlib is measured as the site
uses it (`charts.draw.svg`: drawn, then cleaned for the CSP and given its
title and desc) and raw; pygal with its scripts off (`js=[]`), as inline
SVG would need. The PNG (og:image) is timed for matplotlib; pygal draws PNG
only through cairosvg and the system's cairo library, not installed here.

Run on 2026-12-03 on the shared 2-core machine (load average 4.2: medians are
noisy, best times less so), --rounds 30; best / median ms, bytes, gzipped:

    demo, matplotlib as the site draws it    43 / 63 ms   5,514 B  1,133 B gz
    demo, pygal (js=[])                        4 /  8 ms  16,908 B  3,453 B gz
    larger, matplotlib as the site draws it 102 / 193 ms 16,998 B  2,277 B gz
    larger, pygal (js=[])                     10 / 16 ms  30,993 B  5,035 B gz
    PNG (matplotlib): 61 ms (demo), 114 ms (larger), best; imports in a fresh
    process: matplotlib 0.4-0.9 s, pygal 0.06-0.15 s.

Why matplotlib: pygal is 10x faster but its SVG is 2x larger and all its look
is an inline <style> plus an inline <script>: under the site's CSP
(style-src 'self') Chromium draws it as a black rectangle; its default axis
labels are cut short ("0…") and a horizontal bar chart puts the last row on
top; its PNG needs cairo from the system. matplotlib's SVG cleans up to plain
presentation attributes, draws PNG with no system library, and its cost is
paid once per revision and table (the drawings are cached).
"""

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from articles import snapshot  # noqa: E402
from articles.charts import chart_data, summary  # noqa: E402

IMPORTS = {
    "matplotlib": "import matplotlib.figure, matplotlib.backends.backend_svg",
    "pygal": "import pygal",
}


def tables() -> dict[str, dict]:
    demo = snapshot.table(
        "Cargo handled, September to November",
        [
            snapshot.column("Port"),
            snapshot.column("Cargo", "number", unit="million t", decimals=1),
        ],
        [["Aktau", "2.4"], ["Baku", "3.1"], ["Turkmenbashi", "1.2"]],
        source_note="Port operators",
        chart="bar",
        chart_category=0,
        chart_series=[1],
    )
    months = [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]
    larger = snapshot.table(
        "Cargo by month",
        [snapshot.column("Month")]
        + [
            snapshot.column(port, "number", decimals=1)
            for port in ("Aktau", "Baku", "Kuryk")
        ],
        [
            [m, f"{2 + i / 10:.1f}", f"{3 - i / 20:.1f}", f"{1 + (i % 4) / 5:.1f}"]
            for i, m in enumerate(months)
        ],
        source_note="Port operators",
        chart="column",
        chart_category=0,
        chart_series=[1, 2, 3],
    )
    return {"demo (3 bars)": demo, "larger (12 x 3 columns)": larger}


def import_seconds(library: str) -> float:
    code = (
        "import time; t = time.perf_counter(); "
        f"{IMPORTS[library]}; print(time.perf_counter() - t)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def matplotlib_site(block):
    from articles.charts.draw import svg

    data = chart_data(block)
    return svg(data, prefix="table-1-chart-", title=data.caption, desc=summary(data))


def matplotlib_raw(block):
    import io

    import matplotlib

    from articles.charts.draw import figure

    fig, params = figure(chart_data(block))
    out = io.StringIO()
    with matplotlib.rc_context(params):
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def matplotlib_png(block):
    from articles.charts.draw import png

    return png(chart_data(block))


def pygal_svg(block):
    import pygal

    data = chart_data(block)
    kinds = {
        "bar": pygal.HorizontalBar,
        "column": pygal.Bar,
        "line": pygal.Line,
        "stacked_bar": pygal.HorizontalStackedBar,
    }
    chart = kinds[data.kind](
        js=[],
        disable_xml_declaration=True,
        width=360,
        height=240,
        show_legend=len(data.series) > 1,
    )
    chart.title = data.caption
    chart.x_labels = data.categories
    for series in data.series:
        chart.add(series.name, series.values)
    return chart.render(is_unicode=True)


DRAWERS = {
    "matplotlib (site: cleaned SVG)": matplotlib_site,
    "matplotlib (raw SVG)": matplotlib_raw,
    "pygal (js=[])": pygal_svg,
    "matplotlib PNG (og:image)": matplotlib_png,
}


def timed(draw, block, rounds: int) -> tuple[float, float, float, object]:
    start = time.perf_counter()
    output = draw(block)
    first = time.perf_counter() - start
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        output = draw(block)
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), min(times), output


def facts(output) -> str:
    if isinstance(output, bytes):
        return "PNG"
    styles = len(re.findall(r"<style\b", output))
    attributes = len(re.findall(r"\sstyle=", output))
    has = {
        name: "yes" if marker in output else "no"
        for name, marker in [
            ("title", "<title"),
            ("desc", "<desc"),
            ("script", "<script"),
            ("role=img", 'role="img"'),
        ]
    }
    return f"<style> {styles}, style= {attributes}, " + ", ".join(
        f"{name} {value}" for name, value in has.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    print("$ " + " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"load average: {os.getloadavg()[0]:.2f}")
    for library in IMPORTS:
        print(
            f"import {library}: {import_seconds(library) * 1000:.0f} ms (fresh process)"
        )
    for name, block in tables().items():
        print(f"\n{name}")
        print(
            f"  {'drawer':32} {'first ms':>8} {'median':>7} {'best':>6} "
            f"{'bytes':>7} {'gzip':>6}  checks"
        )
        for label, draw in DRAWERS.items():
            first, median, best, output = timed(draw, block, args.rounds)
            raw = output if isinstance(output, bytes) else output.encode()
            print(
                f"  {label:32} {first * 1000:8.1f} {median * 1000:7.1f} "
                f"{best * 1000:6.1f} {len(raw):7d} {len(gzip.compress(raw)):6d}  "
                f"{facts(output)}"
            )


if __name__ == "__main__":
    main()
