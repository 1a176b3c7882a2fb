"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from django.core.cache import caches


def empty_caches() -> None:
    """Clear every cache: the next request renders its page instead of replaying it."""
    for cache in caches.all():
        cache.clear()
