from django import template
from django.utils.safestring import mark_safe

from ..sanitize import clean_inline

register = template.Library()


@register.filter
def inline(value: str) -> str:
    """Render stored inline text: bold, italic and links only, whatever was stored."""
    return mark_safe(clean_inline(value))  # noqa: S308 - cleaned on the line itself
