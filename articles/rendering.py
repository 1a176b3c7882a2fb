"""An article body's HTML, built from a revision's snapshot.

Built in Python rather than in a template, as the tables are: the template's
loops cost about 1.3 ms of CPU on an article of 20 sections, a tenth of its
whole render (bench/render_profile.py). Headings are escaped; paragraphs and
list items go through `clean_inline`, the one allow-list for inline text.
"""

from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString

from .models import Block
from .sanitize import clean_inline
from .snapshot import numbered_tables


def body_html(snapshot: dict, table_html: Callable[[dict, int], str]) -> SafeString:
    """Return the snapshot's sections as HTML.

    `table_html(block, number)` renders the snapshot's table `number`
    (as `snapshot.numbered_tables` counts them, as the download and embed
    addresses do). A section without a heading
    (the lede) is a plain div: it names no region.
    """
    parts = []
    table_numbers = {id(block): number for number, block in numbered_tables(snapshot)}
    for section in snapshot["sections"]:
        if section["heading"]:
            anchor = escape(section["anchor"])
            parts.append(
                f'<section id="{anchor}" aria-labelledby="{anchor}-heading">\n'
                f'<h2 id="{anchor}-heading"><a class="anchor" href="#{anchor}">'
                f"{escape(section['heading'])}</a></h2>\n"
            )
        else:
            parts.append('<div class="section">\n')
        for block in section["blocks"]:
            kind = block["type"]
            if kind == Block.Kind.PARAGRAPH:
                parts.append(f"<p>{clean_inline(block['html'])}</p>\n")
            elif kind == Block.Kind.LIST:
                tag = "ol" if block.get("ordered") else "ul"
                items = "".join(f"<li>{clean_inline(i)}</li>" for i in block["items"])
                parts.append(f"<{tag}>{items}</{tag}>\n")
            elif kind == Block.Kind.TABLE:
                parts.append(table_html(block, table_numbers[id(block)]))
        parts.append("</section>\n" if section["heading"] else "</div>\n")
    return SafeString("".join(parts))  # escaped or cleaned above
