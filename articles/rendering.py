"""An article body's HTML, rendered from a revision's snapshot.

`templates/articles/_body.html` renders the sections; each table block gets
its `ContentTableView`, rendered by that table's own template. Headings are
escaped; paragraphs and list items go through `inline_html` (the `inline`
filter), the one allow-list for inline text. A revision never changes, so the
result is kept by revision (`caching.article_body`).
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .snapshot import numbered_tables
from .tables import ContentTableView


def render_body(
    request, snapshot: dict, table_for: Callable[[dict, int], ContentTableView]
) -> SafeString:
    """Render the snapshot's sections as HTML.

    `table_for(block, number)` makes the table of the snapshot's table block
    `number`, counting from 1 through the whole article.
    """
    # The request as a plain variable (tables link to its path): the body
    # needs none of the site's context processors.
    context = {"sections": sections(snapshot, table_for), "request": request}
    return render_to_string("articles/_body.html", context)


def sections(snapshot: dict, table_for: Callable) -> list[dict]:
    """Return the snapshot's sections with a `table` beside each table block.

    Tables are numbered as `snapshot.numbered_tables` counts them, as the
    download and embed addresses do.
    """
    numbers = {id(block): number for number, block in numbered_tables(snapshot)}
    return [
        {
            **section,
            "blocks": [
                {**block, "table": table_for(block, numbers[id(block)])}
                if id(block) in numbers
                else block
                for block in section["blocks"]
            ],
        }
        for section in snapshot["sections"]
    ]
