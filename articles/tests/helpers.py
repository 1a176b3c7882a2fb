"""Small helpers shared by test modules (fixtures live in conftest.py)."""

import os

import pytest
from django.core.cache import caches


def empty_caches() -> None:
    """Clear every cache: the next request renders its page instead of replaying it."""
    for cache in caches.all():
        cache.clear()


def require_tool(found: bool, missing: str) -> None:
    """Skip the test on a laptop without a tool; fail it in CI (CI=true)."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing} (CI=true: the tools are required)", pytrace=False)
    pytest.skip(missing)
