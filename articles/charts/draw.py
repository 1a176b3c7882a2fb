"""Draw a chart with matplotlib: SVG for the page, PNG for social sites.

matplotlib is imported on first use (about 0.6 s), so processes that never
draw a chart never pay for it. Figures are made with `Figure` directly (no
pyplot, no global figure list) under a fixed `rc_context`, so the output
depends only on the data: the same table gives the same bytes.

The SVG goes inline into pages whose Content-Security-Policy has
`style-src 'self'`: matplotlib's `<style>` and `style=""` attributes would be
blocked, so `clean_svg` turns them into presentation attributes (which CSS
may still override, see site.css `.chart`), drops its metadata, makes ids
unique on the page (`prefix`), removes the fixed size (the viewBox stays, so
it scales to its column) and adds `role="img"`, `<title>` and `<desc>`.
"""

import io
import re
import threading

from lxml import etree

from .data import ChartData

# The site's palette (static/css/site.css): its accent first, then colours
# that stay apart for colour-blind readers and on a grey-scale printout.
COLOURS = ["#0b5394", "#e08214", "#1b7837", "#762a83", "#595959", "#b2182b"]
TEXT, MUTED, RULE = "#1b1b1b", "#595959", "#d9d9d9"
WIDTH = 4.5  # inches at 72 points each: a viewBox 324 wide (site.css caps it at 28rem)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# CSS properties matplotlib writes that are also SVG presentation attributes.
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
        "font-style",
        "text-anchor",
        "clip-path",
    }
)
FONT = re.compile(
    r"^(?:(?P<style>italic|oblique)\s+)?(?:(?P<weight>bold|\d{3})\s+)?"
    r"(?P<size>[\d.]+px)\s+(?P<family>.+)$"
)
FAMILY = '"Liberation Sans", Arial, sans-serif'
_font = None
# matplotlib's settings (rcParams) are global to the process: one drawing at
# a time, so that threads of a gthread worker never mix theirs.
_drawing = threading.Lock()


def _family() -> str:
    """Liberation Sans (the site's sans) when installed, else matplotlib's own."""
    global _font
    if _font is None:
        from matplotlib import font_manager

        names = {entry.name for entry in font_manager.fontManager.ttflist}
        _font = "Liberation Sans" if "Liberation Sans" in names else "DejaVu Sans"
    return _font


def figure(chart: ChartData, *, with_titles: bool = False):
    """The matplotlib Figure of a chart; `with_titles` draws caption and source
    into the image (the PNG stands alone; on the page they are HTML)."""
    import matplotlib
    from matplotlib.figure import Figure

    count = max(len(chart.categories), 1)
    horizontal = chart.kind in ("bar", "stacked_bar")
    many = len(chart.series)
    if horizontal:
        per = 0.36 if chart.kind == "stacked_bar" or many == 1 else 0.24 * many + 0.12
        height = 0.9 + per * count + (0.35 if many > 1 else 0)
    else:
        height = 3.6
    if with_titles:
        height += 0.9
    params = {
        "font.family": _family(),
        "font.size": 12,
        "text.color": TEXT,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": TEXT,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "svg.fonttype": "none",
        "svg.hashsalt": "newsroom",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(params):
        fig = Figure(figsize=(WIDTH, height), layout="constrained")
        ax = fig.add_subplot()
        _plot(ax, chart, horizontal)
        if with_titles:
            if chart.caption:
                fig.suptitle(
                    chart.caption,
                    x=0.01,
                    ha="left",
                    fontsize=13,
                    fontweight="bold",
                    wrap=True,
                )
            if chart.source:
                fig.supxlabel(chart.source, x=0.01, ha="left", fontsize=9, color=MUTED)
        fig.canvas.draw_idle()
    return fig, params


def _plot(ax, chart: ChartData, horizontal: bool) -> None:
    import numpy as np

    count, many = len(chart.categories), len(chart.series)
    positions = np.arange(count)
    values = [
        np.array([np.nan if v is None else v for v in s.values], dtype=float)
        for s in chart.series
    ]
    value_axis = ax.xaxis if horizontal else ax.yaxis
    ax.set_axisbelow(True)
    ax.grid(True, axis="x" if horizontal else "y", color=RULE, linewidth=0.8)
    if chart.kind == "line":
        for number, (s, ys) in enumerate(zip(chart.series, values, strict=True)):
            (line,) = ax.plot(
                positions,
                ys,
                color=COLOURS[number % len(COLOURS)],
                linewidth=2,
                marker="o",
                markersize=4,
                label=s.name,
            )
            line.set_gid(f"series-{number}")
    elif chart.kind == "stacked_bar":
        left = np.zeros(count)
        for number, (s, xs) in enumerate(zip(chart.series, values, strict=True)):
            width = np.nan_to_num(xs)
            bars = ax.barh(
                positions,
                width,
                left=left,
                height=0.6,
                color=COLOURS[number % len(COLOURS)],
                label=s.name,
            )
            _mark_bars(bars, number, xs)
            left = left + width
    else:
        size = 0.7 / many if many > 1 else 0.6
        for number, (s, vs) in enumerate(zip(chart.series, values, strict=True)):
            offset = (number - (many - 1) / 2) * size
            draw = ax.barh if horizontal else ax.bar
            bars = draw(
                positions + offset,
                np.nan_to_num(vs),
                size,
                color=COLOURS[number % len(COLOURS)],
                label=s.name,
            )
            _mark_bars(bars, number, vs)
            if many == 1 and count <= 30:  # each bar's value, as the table shows it
                ax.bar_label(bars, labels=s.shown, padding=3, fontsize=11, color=TEXT)
    labels = chart.categories
    if horizontal:
        ax.set_yticks(positions, labels=labels)
        ax.invert_yaxis()  # the table's first row on top
        ax.tick_params(axis="y", length=0)
        ax.margins(x=0.12 if many == 1 else 0.02)
    else:
        rotate = count > 6 or max((len(label) for label in labels), default=0) > 10
        ax.set_xticks(
            positions,
            labels=labels,
            rotation=40 if rotate else 0,
            ha="right" if rotate else "center",
        )
        ax.margins(y=0.12 if many == 1 and chart.kind != "line" else 0.05)
    category_axis = ax.yaxis if horizontal else ax.xaxis
    for number, tick in enumerate(category_axis.get_ticklabels()):
        tick.set_gid(f"category-{number}")
    value_axis.set_major_formatter(_formatter())
    if chart.unit:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(chart.unit, color=MUTED)
    if many > 1:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=min(many, 3),
            frameon=False,
            borderaxespad=0.2,
        )


def _mark_bars(bars, number: int, values) -> None:
    import math

    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        if math.isnan(value):
            bar.set_visible(False)
        else:
            bar.set_gid(f"bar-{number}-{index}")


def _formatter():
    """Ticks as the site writes numbers (grouping, the language's decimal mark),
    without the float noise of tick positions (0.7750000000000001)."""
    from decimal import Decimal

    from django.utils.formats import number_format
    from matplotlib.ticker import FuncFormatter

    def tick(value, position):
        number = Decimal(f"{value:.10g}")
        if number == number.to_integral_value():
            number = number.to_integral_value()
        return number_format(number, use_l10n=True, force_grouping=True)

    return FuncFormatter(tick)


def svg(chart: ChartData, *, prefix: str, title: str, desc: str) -> str:
    """The chart as inline SVG markup for an HTML page (see the module's doc)."""
    import matplotlib

    out = io.StringIO()
    with _drawing:
        fig, params = figure(chart)
        with matplotlib.rc_context(params):
            fig.savefig(out, format="svg", metadata={"Date": None})
    return clean_svg(out.getvalue(), prefix=prefix, title=title, desc=desc)


def png(chart: ChartData, *, dpi: int = 150) -> bytes:
    """The chart with its caption and source as a PNG (for og:image)."""
    import matplotlib

    out = io.BytesIO()
    with _drawing:
        fig, params = figure(chart, with_titles=True)
        with matplotlib.rc_context(params):
            fig.savefig(
                out,
                format="png",
                dpi=dpi,
                facecolor="white",
                metadata={"Software": None},
            )
    return out.getvalue()


def _attributes_of(style: str) -> dict[str, str]:
    found = {}
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font":
            match = FONT.match(value)
            if match:
                found["font-size"] = match["size"]
                found["font-family"] = FAMILY
                if match["weight"]:
                    found["font-weight"] = match["weight"]
                if match["style"]:
                    found["font-style"] = match["style"]
        elif name == "font-family":
            found[name] = FAMILY
        elif name in PRESENTATION:
            found[name] = value
    return found


def _clean_element(element, prefix: str, referenced: set[str]) -> None:
    """Styles to attributes; ids kept only where referenced, prefixed; the
    bars, category labels and lines marked by class (their matplotlib gids)."""
    style = element.attrib.pop("style", None)
    if style:
        for name, value in _attributes_of(style).items():
            element.set(name, value)
    ident = element.get("id")
    if ident is not None:
        kind = ident.split("-")[0]
        if kind in ("bar", "category", "series"):
            del element.attrib["id"]
            element.set("class", f"chart-{kind}")
        elif ident in referenced:
            element.set("id", f"{prefix}{ident}")
        else:
            del element.attrib["id"]
    for name in ("clip-path", "fill", "stroke"):
        value = element.get(name)
        if value and value.startswith("url(#"):
            element.set(name, f"url(#{prefix}{value[5:]}")
    href = element.get(XLINK_HREF)
    if href and href.startswith("#"):
        element.set(XLINK_HREF, f"#{prefix}{href[1:]}")
    if element.tag == f"{{{SVG_NS}}}path" and element.get("d"):
        element.set("d", " ".join(element.get("d").split()))


def clean_svg(markup: str, *, prefix: str, title: str, desc: str) -> str:
    """matplotlib's SVG made fit for inline HTML under our CSP (module doc)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_blank_text=True,
    )
    root = etree.fromstring(markup.encode(), parser)
    for element in list(root.iter(f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style")):
        element.getparent().remove(element)
    referenced = set(re.findall(r"url\(#([^)]+)\)", markup))
    referenced |= set(re.findall(r'xlink:href="#([^"]+)"', markup))
    for element in root.iter():
        if isinstance(element.tag, str):
            _clean_element(element, prefix, referenced)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("class", "chart-svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}title")
    root.set("aria-describedby", f"{prefix}desc")
    title_element = etree.Element(f"{{{SVG_NS}}}title", id=f"{prefix}title")
    title_element.text = title
    desc_element = etree.Element(f"{{{SVG_NS}}}desc", id=f"{prefix}desc")
    desc_element.text = desc
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return etree.tostring(root, encoding="unicode")
