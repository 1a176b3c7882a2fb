"""Turn the Newsroom's article snapshots into live ArticlePages.

    manage.py load_snapshots snapshots.json [--urls-out urls.json]

snapshots.json: {"seed": {"desk", "published_at", "snapshot"}, "large": {...}}.
Each article goes under an index page for its desk (made if missing), and is
saved and published as an editor would (a revision, then publish). Prints, and
writes to --urls-out, {"seed": "/desk/slug/", "large": ...}.
"""

import json
import os
import re
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Page, Site

from articles_wt.models import INLINE_FEATURES, ArticlePage, DeskPage, HomePage

SITE_NAME = "Newsroom (Wagtail)"
# What the page editor does on save: Draftail's content state to Wagtail's
# stored rich text, e.g. '<p data-block-key="x1y2z">Text <b>bold</b></p>'.
_converter = ContentstateConverter(INLINE_FEATURES)


def rich_text(inline_html: str) -> str:
    return _converter.to_database_format(
        _converter.from_database_format(f"<p>{inline_html}</p>")
    )


# Thousands separators, percent and currency signs, spaces.
_NOT_NUMERIC = re.compile(r"[,%$€£¥\s\u00a0]")


def as_number(cell: str) -> Decimal | None:
    try:
        number = Decimal(_NOT_NUMERIC.sub("", cell))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # not "NaN", "Infinity"


def table_value(block: dict) -> dict:
    """A table in TypedTableBlock's stored form: a column is "numeric" when all
    its cells read as numbers, else "text" (cells kept as written)."""
    rows = block["rows"]
    columns, cells = [], []  # cells: column by column
    for index, spec in enumerate(block["columns"]):
        column = [row[index] for row in rows]
        numbers = [as_number(cell) for cell in column]
        numeric = bool(column) and None not in numbers
        kind = "numeric" if numeric else "text"
        columns.append({"type": kind, "heading": spec["label"]})
        cells.append([str(n) for n in numbers] if numeric else column)
    return {
        "columns": columns,
        "rows": [{"values": [column[i] for column in cells]} for i in range(len(rows))],
        "caption": block["caption"],
    }


def body_blocks(snapshot: dict) -> list[tuple[str, object]]:
    """The StreamField content: (block type, stored value) pairs."""
    stream = []
    for section in snapshot["sections"]:
        if section["heading"]:
            stream.append(("heading", section["heading"]))
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                stream.append(("paragraph", rich_text(block["html"])))
            elif block["type"] == "list":
                entries = [rich_text(item) for item in block["items"]]
                stream.append(
                    ("list", {"ordered": block["ordered"], "entries": entries})
                )
            elif block["type"] == "table":
                stream.append(("table", table_value(block)))
            else:
                raise ValueError(f"unknown block type {block['type']!r}")
    return stream


def home_page() -> HomePage:
    """The site's root page; on a fresh database, replace Wagtail's welcome page
    as the project template's migration does."""
    home = HomePage.objects.first()
    if home is None:
        Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Home", slug="home")
        )
        Site.objects.all().delete()
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    return home


def publish(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """Create (or update) parent's child page with this slug, and publish it."""
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


def load(article: dict) -> str:
    """Publish one article (and its desk if new); return its path on the site."""
    home = home_page()
    desk = publish(
        home,
        DeskPage,
        slugify(article["desk"]),
        title=article["desk"],
        show_in_menus=True,
    )
    snapshot = article["snapshot"]
    page = publish(
        desk,
        ArticlePage,
        slugify(snapshot["title"])[:80].strip("-"),
        title=snapshot["title"],
        standfirst=snapshot["standfirst"],
        byline=snapshot["byline"],
        source_credit=snapshot["source_credit"],
        # StreamField takes (block type, value) pairs in stored form.
        body=body_blocks(snapshot),
        # Wagtail's publish() keeps it (it only fills in a missing one).
        first_published_at=parse_datetime(article["published_at"]),
    )
    return page.relative_url(Site.objects.get(root_page=home))


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("snapshots")
        parser.add_argument("--urls-out")

    def handle(self, snapshots, urls_out=None, **options):
        with open(snapshots, encoding="utf-8") as f:
            articles = json.load(f)
        with transaction.atomic():
            urls = {key: load(article) for key, article in articles.items()}
        self.stdout.write(json.dumps(urls))
        if urls_out:
            # Whole or not at all: a caller may be polling for this file.
            tmp = f"{urls_out}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(urls, f)
            os.replace(tmp, urls_out)
