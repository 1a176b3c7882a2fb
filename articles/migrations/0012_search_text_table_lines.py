# Written by hand on 2026-12-03: a data migration only.

import html
import re

import nh3
from django.db import migrations

# The reading text of articles.search and articles.sanitize as they were when
# this migration was written, frozen here so that later changes to the app
# cannot change (or break) what it does. Only `search_text` changes: tables
# become lines of their own, for excerpts; the tsvector stays as it is.
START, STOP = "\ue000", "\ue001"
TABLE, CELL, VALUE = "\ue002", "\ue003", "\ue004"
PRIVATE = re.compile("[\ue000-\ue004]")
NEEDS_CLEANING = re.compile("[<>&\u00a0\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def collapse(text):
    return " ".join(text.split())


def plain_text(text):
    text = text or ""
    if not NEEDS_CLEANING.search(text):
        return collapse(text)
    stripped = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    return collapse(html.unescape(stripped))


def clean(text):
    return collapse(PRIVATE.sub(" ", text or ""))


def column_headings(block):
    labels = [""] * len(block["columns"])
    for entry in block.get("groups") or ():
        for index in range(entry["start"], entry["start"] + entry["span"]):
            if 0 <= index < len(labels):
                labels[index] = entry["label"]
    return [
        f"{group}: {column['label']}" if group else column["label"]
        for group, column in zip(labels, block["columns"], strict=True)
    ]


def table_lines(block):
    caption = clean(block.get("caption", ""))
    headings = [clean(heading) for heading in column_headings(block)]
    lines = [TABLE + caption + "".join(CELL + heading for heading in headings)]
    for row in block["rows"]:
        cells = [clean(plain_text(cell)) for cell in row]
        if any(cells):
            lines.append(
                TABLE
                + caption
                + "".join(
                    f"{CELL}{heading}{VALUE}{cell}"
                    for heading, cell in zip(headings, cells, strict=False)
                )
            )
    return lines


def reading_text(snapshot):
    reading = []
    standfirst = clean(snapshot.get("standfirst", ""))
    if standfirst:
        reading.append(standfirst)

    def add(text, *, inline=True):
        text = clean(plain_text(text) if inline else text)
        if text:
            reading.append(text)

    for section in snapshot.get("sections", []):
        add(section.get("heading", ""), inline=False)
        for block in section.get("blocks", []):
            if block["type"] == "paragraph":
                add(block["html"])
            elif block["type"] == "list":
                for item in block["items"]:
                    add(item)
            elif block["type"] == "table":
                reading += table_lines(block)
    return "\n".join(reading)


def index_tables_as_lines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    live = (
        Article.objects.filter(live_revision__isnull=False)
        .select_related("live_revision")
        .only("pk", "live_revision__snapshot", "live_revision")
    )
    for article in live.iterator(chunk_size=200):
        text = reading_text(article.live_revision.snapshot)
        Article.objects.filter(pk=article.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_table_groups"),
    ]

    operations = [
        # Backwards, the lines stay: the older code reads them as prose.
        migrations.RunPython(index_tables_as_lines, migrations.RunPython.noop),
    ]
