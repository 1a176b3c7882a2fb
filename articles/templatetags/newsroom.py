import html
import json
from datetime import datetime

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from ..sanitize import inline_html

register = template.Library()

# As django.utils.html.json_script: no "<", ">" or "&" can end the script
# element or open a comment; JSON parsers read the escapes as the same text.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def inline(value: str) -> str:
    """Render stored inline text: bold, italic and links only, whatever was stored."""
    return mark_safe(inline_html(value))  # noqa: S308 - cleaned on the line itself


@register.filter(expects_localtime=True)
def time_attr(value) -> str:
    """Render a date-time for <time datetime="...">: ISO 8601 to the second.

    Django's `date:"c"` keeps microseconds, which HTML does not allow there
    (three decimals at most).
    """
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def time_element(value, format_name: str = "DATETIME_FORMAT") -> str:
    """Render <time> for a date or date-time shown in a named format (DATE_FORMAT...).

    With `as`, a translated sentence can hold it: {% time_element at as when %}
    then {% blocktranslate %}Updated on {{ when }}{% endblocktranslate %}.
    """
    if isinstance(value, datetime):
        value = template_localtime(value)
        attribute = time_attr(value)
    else:  # a date
        attribute = value.isoformat()
    escape = html.escape  # what format_html() would call, through escape()
    return mark_safe(  # noqa: S308 - both parts escaped
        f'<time datetime="{escape(attribute)}">'
        f"{escape(date_format(value, format_name))}</time>"
    )


@register.simple_tag(takes_context=True)
def desk_links(context) -> str:
    """The `desks` as the site header's `<li>` links, `current_desk`'s marked.

    On every public page: a {% for %} of three lookups and an {% if %} cost
    about 15 µs a desk. Pages without desks (an error page) have none.
    """
    desks, current = context.get("desks") or (), context.get("current_desk")
    escape = html.escape  # what Django's escape() calls
    return mark_safe(  # noqa: S308 - each part escaped
        "".join(
            f'<li><a href="{escape(desk.get_absolute_url())}"'
            + (' aria-current="page"' if desk.slug == current else "")
            + f">{escape(desk.name)}</a></li>"
            for desk in desks
        )
    )


@register.filter
def meta_tags(tags) -> str:
    """Render (attribute, name, content) triples as <meta> tags, each on its line.

    A page has up to sixteen; a {% for %} of three variables each cost about
    a tenth of a millisecond, format_html() about 8 µs a tag.
    """
    escape = html.escape  # what Django's escape() calls
    return mark_safe(  # noqa: S308 - each part escaped
        "".join(
            f'<meta {escape(kind)}="{escape(name)}" content="{escape(str(value))}">\n  '
            for kind, name, value in tags or ()
        )
    )


@register.filter
def json_ld(value) -> str:
    """Render data as a JSON-LD <script>, escaped so that no text can leave it."""
    data = json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    )
    # Three replace() calls: str.translate() with a mapping looks every
    # character up, 40 µs for an article's JSON-LD against 1.3.
    escaped = data
    for char, code in JSON_SCRIPT_ESCAPES.items():
        escaped = escaped.replace(chr(char), code)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(escaped),  # noqa: S308 - no "<", ">" or "&" left
    )
