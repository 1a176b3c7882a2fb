"""The shared cache itself, and stepping aside for a while when it fails."""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches

# One logger for the whole page cache, as before it was a package.
logger = logging.getLogger("articles.caching")


# After a cache error, this process serves pages without the cache this long.
RETRY_SECONDS = 5.0


unusable_until: dict[str, float] = {}


def cache_alias() -> str:
    return settings.NEWSROOM_PAGE_CACHE_ALIAS


def page_cache():
    return caches[cache_alias()]


def usable() -> bool:
    return time.monotonic() >= unusable_until.get(location(), 0.0)


def failed(error: Exception) -> None:
    unusable_until[location()] = time.monotonic() + RETRY_SECONDS
    logger.warning(
        "The page cache failed (%s: %s); pages are served without it for %s s.",
        type(error).__name__,
        error,
        RETRY_SECONDS,
    )


def location() -> str:
    return str(settings.CACHES[cache_alias()].get("LOCATION", cache_alias()))


def generation_key(scope: str) -> str:
    return f"gen:{scope}"


def new_token() -> str:
    return secrets.token_hex(8)
