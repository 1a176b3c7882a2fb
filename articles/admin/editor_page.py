"""The document editor on the article's admin page: its data and its words.

static/js/editor/main.js reads `editor_config` from the page (json_script):
the body as snapshot sections, a refused save's errors with their places,
the grid's schema, words and import limit, and the addresses it calls. It
has no words of its own: `editor_strings` are all of them, translated when
the page is made.
"""

import re

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from .. import snapshot
from ..charts import CATEGORY_KINDS
from ..models import WorkingCopy
from ..tabledata import check_table
from .grid import script_schema, script_strings
from .table_import import MAX_BYTES as MAX_IMPORT_BYTES


def editor_strings() -> dict:
    """The editor's words: a button's name, then its _HELP (its title: keys)."""
    plural = [
        ngettext(
            "This article was not saved: %(count)s problem.",
            "This article was not saved: %(count)s problems.",
            count,
        )
        for count in (1, 2)
    ]
    return {
        "BODY": gettext("Article body"),
        "TOOLBAR": gettext("Formatting"),
        "BOLD": gettext("Bold"),
        "BOLD_HELP": gettext("Bold (Ctrl+B)"),
        "ITALIC": gettext("Italic"),
        "ITALIC_HELP": gettext("Italic (Ctrl+I)"),
        "LINK": gettext("Link"),
        "LINK_HELP": gettext("Link (Ctrl+K)"),
        "HEADING": gettext("Heading"),
        "HEADING_HELP": gettext("Heading: starts a new section (Ctrl+Alt+2)"),
        "BULLET_LIST": gettext("Bullet list"),
        "BULLET_LIST_HELP": gettext("Bullet list (type “- ”)"),
        "ORDERED_LIST": gettext("Numbered list"),
        "ORDERED_LIST_HELP": gettext("Numbered list (type “1. ”)"),
        "INSERT": gettext("Insert…"),
        "INSERT_HELP": gettext("Insert a block (or type / on an empty line)"),
        "MOVE_UP": gettext("Move up"),
        "MOVE_UP_HELP": gettext("Move the block up (Alt+↑)"),
        "MOVE_DOWN": gettext("Move down"),
        "MOVE_DOWN_HELP": gettext("Move the block down (Alt+↓)"),
        "UNDO": gettext("Undo"),
        "UNDO_HELP": gettext("Undo (Ctrl+Z)"),
        "REDO": gettext("Redo"),
        "REDO_HELP": gettext("Redo (Ctrl+Shift+Z)"),
        "DRAG_HELP": gettext("Drag to move this block"),
        "KIND_PARAGRAPH": gettext("Paragraph"),
        "KIND_HEADING": gettext("Heading"),
        "KIND_BULLET_LIST": gettext("Bullet list"),
        "KIND_ORDERED_LIST": gettext("Numbered list"),
        "KIND_TABLE": gettext("Table"),
        "LINK_ADDRESS": gettext("Link address"),
        "LINK_APPLY": gettext("Apply"),
        "LINK_REMOVE": gettext("Remove link"),
        "LINK_INVALID": gettext(
            "Enter a web address (https://…) or an e-mail address (mailto:…)."
        ),
        "CANCEL": gettext("Cancel"),
        "TABLE": gettext("Table"),
        "TABLE_HELP": gettext(
            "Type in the cells, or paste cells from a spreadsheet. Tab and Enter "
            "move between cells; the buttons insert, move and delete rows and "
            "columns; a CSV or XLSX file can replace the table. Each column's kind "
            "(number, percent, date…) decides how its cells are checked and shown."
        ),
        "TABLE_CAPTION": gettext("Caption"),
        "TABLE_SOURCE_NOTE": gettext("Source"),
        "TABLE_SOURCE_URL": gettext("Source address"),
        "TABLE_SOURCE_RETRIEVED": gettext("Retrieved on"),
        "TABLE_ROW_HEADERS": gettext("The first column names the rows"),
        "CHART": gettext("Chart"),
        "CHART_KIND": gettext("Show the table as a chart too"),
        "CHART_CATEGORY": gettext("Categories (bars or points) from"),
        "CHART_SERIES": gettext("Draw these columns"),
        "CHART_ONLY": gettext("Show the chart only; readers open the table"),
        "CHART_COLUMN": gettext("Column %(number)s"),
        "CHART_NO_NUMBERS": gettext(
            "No number, percent or currency column yet: set a column's kind to draw it."
        ),
        "TABLE_NARROW_LAYOUT": gettext("On narrow screens (phones)"),
        "SUMMARY": plural,
        "PASTING": gettext("Reading the pasted table…"),
        "PASTE_FAILED": gettext(
            "The pasted table could not be read (%(reason)s); it was pasted as text."
        ),
        "AUTOSAVED": gettext("Draft copy kept at %(time)s (not saved as a version)."),
        "AUTOSAVE_FAILED": gettext(
            "Could not reach the server: your changes are kept in this browser."
        ),
        "RESTORE_OFFER": gettext(
            "You have changes from %(when)s that were not saved. Restore them?"
        ),
        "RESTORE": gettext("Restore my changes"),
        "DISCARD": gettext("Discard them"),
        "DISCARD_CONFIRM": gettext(
            "Discard the changes that were not saved? This cannot be undone."
        ),
        "PREVIEW_AFTER_SAVE": gettext("Save the article once to preview it here."),
    }


def editor_config(request, article, sections, errors, comments=()) -> dict:
    """What the editor's script needs, for `json_script`.

    `comments` are the conversation's entries (`views.comments.Entry`) whose
    places are in `sections`: the open ones are shown at their blocks.

    A new article has no working copy, autosave or preview until it is saved
    once: only the copy kept in the browser.
    """
    user = request.user.pk
    urls = {
        "tableImport": reverse("admin:articles_article_table_import"),
        "pasteTable": reverse("admin:articles_article_editor_paste_table"),
    }
    current = working_copy = None
    if article is not None:
        current = article.current_revision()
        for name in ("autosave", "discard", "preview"):
            urls[name] = reverse(
                f"admin:articles_article_editor_{name}", args=[article.pk]
            )
        copy = WorkingCopy.objects.filter(article=article, user=request.user).first()
        if copy is not None:
            working_copy = {
                "saved_at": copy.saved_at.isoformat(),
                "document": copy.data,
            }
    return {
        "sections": sections,
        "errors": errors,
        "strings": editor_strings(),
        "gridSchema": script_schema(),
        "gridStrings": script_strings(),
        "maxImportBytes": MAX_IMPORT_BYTES,  # a larger file is refused unsent
        "columnFields": list(snapshot.COLUMN_FIELDS),
        # The table's chart section: its kinds, and which columns it offers.
        "chartKinds": snapshot.ChartKind.choices,
        "chartCategoryKinds": sorted(CATEGORY_KINDS),
        "numericKinds": sorted(snapshot.NUMERIC_KINDS),
        # A table's narrow layouts, [value, label], for its settings' select.
        "narrowLayouts": [
            [str(value), str(label)] for value, label in snapshot.NarrowLayout.choices
        ],
        "urls": urls,
        "baseRevision": current.number if current else None,
        "storageKey": f"newsroom:body:{article.pk if article else 'new'}:{user}",
        "workingCopy": working_copy,
        "notes": block_notes(article, current, sections) + comment_notes(comments),
    }


# Where an import note points: "section 2, block 3, row 4, column 1".
IMPORT_PLACE = re.compile(r"^section (\d+), block (\d+)(?:, (.*))?$")


def block_notes(article, current, sections) -> list[dict]:
    """Notes to show at their blocks: {"place": {section, block}, "message"}.

    Each table's warnings (no caption, no source...), which block approval;
    and, while the body is still the one imported, what the importer
    repaired (after an edit, blocks have moved: the notes stay on the
    article's source page).
    """
    notes = []
    for s, section in enumerate(sections):
        for b, block in enumerate(section.get("blocks", [])):
            if block.get("type") != "table":
                continue
            problems = check_table(
                block.get("columns", []),
                block.get("rows", []),
                caption=block.get("caption") or "",
                source_note=block.get("source_note") or "",
                groups=block.get("groups") or (),
                row_headers=block.get("row_headers", True),
            )
            notes.extend(
                {"place": {"section": s, "block": b}, "message": problem.message}
                for problem in problems
                if problem.level == "warning"
            )
    imported = current is not None and current.note.startswith("Imported from")
    source = article.sources.first() if imported else None
    for note in source.notes if source else []:
        found = IMPORT_PLACE.match(note.get("where", ""))
        if found:
            section, block, rest = found.groups()
            message = note["message"]
            if rest:  # "row 2, column 3: ..."
                message = f"{rest[0].upper()}{rest[1:]}: {message}"
            place = {"section": int(section) - 1, "block": int(block) - 1}
            notes.append({"place": place, "message": message})
    return notes


def comment_notes(entries) -> list[dict]:
    """The open comments that point at a block or cell, as notes at that block."""
    notes = []
    for entry in entries:
        comment, here = entry.comment, entry.anchor
        if here is None or comment.is_resolved:
            continue
        message = gettext("Comment %(number)d from %(author)s: %(text)s") % {
            "number": entry.number,
            "author": comment.author or gettext("unknown"),
            "text": comment.text,
        }
        if here.is_cell:
            message = f"{entry.place}. {message}"
        notes.append(
            {
                "place": {"section": here.section, "block": here.block},
                "message": message,
            }
        )
    return notes
