"""Reversed addresses, kept per process.

`reverse()` walks the URL resolver each time (15-40 µs); an article page
asked for eight (its own address, its desk's, the desk menu's, the desk's
feeds, the oEmbed endpoint), about a twentieth of a cold render. The same
name and arguments always give the same path under the same URLconf and
script prefix, which are part of the key.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(name: str, **kwargs) -> str:
    """`reverse(name, kwargs=kwargs)`, reversed once per process."""
    return _reverse(
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
        name,
        tuple(sorted(kwargs.items())),
    )


@functools.lru_cache(maxsize=8192)
def _reverse(root_urlconf, urlconf, script_prefix, name, kwargs) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs) or None)
