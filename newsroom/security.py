"""Small pieces of the production set-up: client addresses, login throttling, body size.

- `client_ip`: the client's address behind the proxies we run (a CDN, a load
  balancer: TRUSTED_PROXIES, TRUSTED_PROXY_COUNT), for django-axes.
- `LoginThrottleBackend`: django-axes' backend, which also lets code without a
  request (the shell, the test client's `login()`) authenticate.
- `LoginThrottleHandler`, `failure_limit`: a limit of its own for each way
  failed logins are counted (username and address, address, username).
- `lockout_response`: the admin page saying why and for how long a login is
  refused.
- `RequestSizeLimitMiddleware`: refuses an oversized request body with 413
  before anything reads it.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)

import csp.constants
import csp.middleware
import csp.utils
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.core.signals import setting_changed
from django.db.models import QuerySet, Sum
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, gettext

from .formats import megabytes


def client_ip(request) -> str | None:
    """Return the client's address, believing only what our proxies appended.

    Each proxy appends to X-Forwarded-For the address it received the request
    from. Walking the header from the right, an entry is believed only while
    the address that handed the request over is a trusted proxy
    (TRUSTED_PROXIES), for at most TRUSTED_PROXY_COUNT hops. Everything else
    in the header may have been written by the client: a request that reached
    a load balancer or an app server directly, skipping a proxy, carries
    fewer appended entries than the count, and the entry where one was
    expected is the client's own. An entry that is not an IP address ends
    the walk.
    """
    address = _ip_address(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return None
    forwarded = [
        entry
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    for _ in range(settings.NEWSROOM_TRUSTED_PROXY_COUNT):
        if not forwarded or not _is_trusted_proxy(address):
            break
        sender = _ip_address(forwarded.pop())  # whom that proxy heard from
        if sender is None:
            break
        address = sender
    return str(address)


def _ip_address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    if isinstance(address, IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted_proxy(address: IPv4Address | IPv6Address) -> bool:
    return any(
        address in network
        for network in _networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))
    )


@cache
def _networks(networks: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(network, strict=False) for network in networks)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Axes refuses to authenticate without a request. Logins without one are
    not made over the network (the shell, management commands, the test
    client's `login()`), so there is nothing to throttle: let the next
    backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


# Each way django-axes counts failures (AXES_LOCKOUT_PARAMETERS): what the
# lockout page calls it, and the setting holding its limit.
_LIMITS = {
    frozenset({"username", "ip_address"}): (
        "account_from_address",
        "NEWSROOM_LOGIN_FAILURE_LIMIT",
    ),
    frozenset({"ip_address"}): ("address", "NEWSROOM_LOGIN_FAILURE_LIMIT_PER_ADDRESS"),
    frozenset({"username"}): ("account", "NEWSROOM_LOGIN_FAILURE_LIMIT_PER_USERNAME"),
}


@dataclass(frozen=True)
class LoginLimit:
    """One limit on failed logins and the recent failures counted against it."""

    scope: str  # "account_from_address", "address" or "account"
    failures: int
    limit: int  # 0: off
    attempts: QuerySet = field(compare=False, repr=False)

    @property
    def reached(self) -> bool:
        return self.limit > 0 and self.failures >= self.limit

    def lifted_at(self, cool_off: timedelta) -> datetime | None:
        """When enough of the failures are older than the cool-off to lift it."""
        remaining = self.failures
        for attempt_time, failures in self.attempts.order_by(
            "attempt_time"
        ).values_list("attempt_time", "failures_since_start"):
            # An attempt row's failures all expire with its latest one.
            remaining -= failures
            if remaining < self.limit:
                return attempt_time + cool_off
        return None


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a limit for each way it counts.

    Axes counts recent failures for each entry of AXES_LOCKOUT_PARAMETERS
    (username and address; address; username) but compares the largest
    count with one AXES_FAILURE_LIMIT. Here each count has its own limit:
    `get_failures` and `failure_limit` (AXES_FAILURE_LIMIT) both report the
    first limit reached, or else the first limit, so axes' test
    `failures >= limit` holds exactly when some limit is reached.
    """

    def limits(self, request, credentials=None) -> list[LoginLimit]:
        """Return each limit with the recent failures that count against it."""
        limits = []
        for parameters, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            names = {parameters} if isinstance(parameters, str) else set(parameters)
            scope, setting = _LIMITS[frozenset(names)]
            failures = (
                attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            )
            limits.append(
                LoginLimit(scope, failures, getattr(settings, setting), attempts)
            )
        return limits

    def binding_limit(self, request, credentials=None) -> LoginLimit:
        """Return the first limit reached, or else the first one."""
        limits = self.limits(request, credentials)
        return next((limit for limit in limits if limit.reached), limits[0])

    def get_failures(self, request, credentials=None) -> int:
        return self.binding_limit(request, credentials).failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, clear that username's failures from that address.

        Axes would clear every count the login matches: all failures from the
        address and all for the username. Logging in to one's own account
        between guesses at others would then reset the count per address, and
        the owner's login would wipe the guesses at their account made
        elsewhere.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def failure_limit(request, credentials=None) -> int:
    """The limit failures are compared with (AXES_FAILURE_LIMIT): see above."""
    return LoginThrottleHandler().binding_limit(request, credentials).limit


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is over the limit.

    Form posts (urlencoded or JSON) may be DATA_UPLOAD_MAX_MEMORY_SIZE;
    multipart posts, which carry uploaded files, NEWSROOM_MAX_UPLOAD_BODY.
    Django itself bounds only the form fields (400 past
    DATA_UPLOAD_MAX_MEMORY_SIZE) and writes uploaded files of any size to
    disk; this refuses them before a byte is read. A proxy in front may
    refuse them earlier still (docs/deploy.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refuse(
                400, gettext("The request's Content-Length is not a number.")
            )
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (
            settings.NEWSROOM_MAX_UPLOAD_BODY
            if multipart
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return _refuse(
                413,
                gettext(
                    "The request is too large (%(size)s): the limit is %(limit)s. "
                    "Import large content in several parts, or with the "
                    "import_articles command."
                )
                % {"size": megabytes(length), "limit": megabytes(limit)},
            )
        return self.get_response(request)


def _refuse(status: int, message: str) -> HttpResponse:
    title = gettext("Request too large") if status == 413 else gettext("Bad request")
    page = (
        f'<!DOCTYPE html>\n<html lang="{escape(get_language())}">\n'
        f'<head><meta charset="utf-8"><title>{escape(title)}</title></head>\n'
        f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body>\n"
        "</html>\n"
    )
    response = HttpResponse(page, status=status)
    response["Cache-Control"] = "no-store"
    return response


def lockout_response(request, original_response=None, credentials=None):
    """The admin's page for a login refused by django-axes (AXES_LOCKOUT_CALLABLE).

    429 Too Many Requests with Retry-After, in the admin's look, saying which
    limit was reached and how long the block lasts: until enough of the
    failures that reached it are older than LOGIN_LOCKOUT_MINUTES.
    """
    limit = LoginThrottleHandler().binding_limit(request, credentials)
    cool_off = get_cool_off(request)
    seconds = 0
    if cool_off:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        lifted_at = limit.lifted_at(cool_off) or now + cool_off
        seconds = max(1, math.ceil((lifted_at - now).total_seconds()))
    context = {
        **admin.site.each_context(request),
        "title": gettext("Too many failed logins"),
        "scope": limit.scope,
        "failure_limit": limit.limit,
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, math.ceil(seconds / 60)),
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the settings' policies built once.

    For every response, django-csp copies the policy's parts
    (`dataclasses.asdict`) and builds both headers from the settings again:
    about 45 µs, 2% of an article page's render. Most responses keep the
    settings' policy as it is: no view changed it (`csp_update`,
    `csp_replace`, `csp_override`) and no page used a nonce. Those get the
    headers built once per settings, on the same conditions as django-csp
    sets them; every other response goes through django-csp's own code.
    Those conditions are copied from django-csp 4.0 (requirements.txt): a
    test compares the two middlewares' headers, to rerun on an upgrade.
    """

    def process_response(self, request, response):
        changed = any(
            getattr(response, name, None) is not None for name in POLICY_CHANGES
        )
        if changed or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for report_only, (header, exempt) in enumerate(POLICY_HEADERS):
            policy, excluded = _settings_policy(bool(report_only))
            if (
                policy
                and getattr(response, exempt, False) is False
                and header not in response
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after this would not be in
        # the header, so asking is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(
            self._csp_nonce_post_response
        )
        return response


# What a view sets on its response to change its policy (csp.decorators).
POLICY_CHANGES = tuple(
    f"_csp_{part}{suffix}"
    for part in ("config", "update", "replace")
    for suffix in ("", "_ro")
)
# Each header, with the attribute that exempts a response from it.
POLICY_HEADERS = (
    (csp.constants.HEADER, "_csp_exempt"),
    (csp.constants.HEADER_REPORT_ONLY, "_csp_exempt_ro"),
)


@cache
def _settings_policy(report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The policy django-csp builds from the settings alone, and the path
    prefixes it is not sent to: once per process and settings."""
    name = (
        "CONTENT_SECURITY_POLICY_REPORT_ONLY"
        if report_only
        else "CONTENT_SECURITY_POLICY"
    )
    excluded = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
    return csp.utils.build_policy(report_only=report_only), tuple(excluded or ())


@receiver(setting_changed)
def _forget_settings_policy(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()
