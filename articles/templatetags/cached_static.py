"""Django's `static` library, with each file's address worked out once per process.

Installed as `static` (settings.TEMPLATES' "libraries"), so `{% load static %}`
loads it: `{% static %}` asks the storage for a file's address (urljoin, and
the manifest with hashed names), about 10 µs each, four times on an article
page. A file's address only changes with the settings (STATIC_URL, STORAGES)
or a new deployment, which starts new processes.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static

register = template.Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)


class CachedStaticNode(static.StaticNode):
    @classmethod
    def handle_simple(cls, path):
        return _url(path)


@functools.lru_cache(maxsize=1024)
def _url(path: str) -> str:
    return static.StaticNode.handle_simple(path)


@register.tag("static")
def do_static(parser, token):
    """{% static "css/site.css" [as name] %}, as Django's."""
    return CachedStaticNode.handle_token(parser, token)


@receiver(setting_changed, dispatch_uid="cached_static.setting_changed")
def _settings_changed(*, setting, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "INSTALLED_APPS"}:
        _url.cache_clear()
