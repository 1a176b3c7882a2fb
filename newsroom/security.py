"""Small pieces of the production set-up: client addresses, login throttling, body size.

- `client_ip`: the reader's address behind TRUSTED_PROXY_COUNT proxies (a CDN,
  a load balancer), for django-axes, which locks out by username and address.
- `LoginThrottleBackend`: django-axes' backend, which also lets code without a
  request (the shell, the test client's `login()`) authenticate.
- `lockout_response`: the admin page saying why and for how long a login is
  refused.
- `RequestSizeLimitMiddleware`: refuses an oversized request body with 413
  before anything reads it.
"""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape


def client_ip(request) -> str | None:
    """Return the client's address, trusting only the proxies we run.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so with N proxies in front of the app servers the
    client's address is the N-th entry from the right; entries further left
    came from the client itself and prove nothing.
    """
    proxies = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


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
            return _refuse(400, "The request's Content-Length is not a number.")
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (
            settings.NEWSROOM_MAX_UPLOAD_BODY
            if multipart
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return _refuse(
                413,
                f"The request is too large ({_megabytes(length)}): "
                f"the limit is {_megabytes(limit)}. Import large content in "
                "several parts, or with the import_articles command.",
            )
        return self.get_response(request)


def _refuse(status: int, message: str) -> HttpResponse:
    title = "Request too large" if status == 413 else "Bad request"
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n"
        f"<body><main><h1>{title}</h1><p>{escape(message)}</p></main></body>\n"
        "</html>\n"
    )
    response = HttpResponse(page, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def lockout_response(request, original_response=None, credentials=None):
    """The admin's page for a login refused by django-axes (AXES_LOCKOUT_CALLABLE).

    429 Too Many Requests with Retry-After, in the admin's look, saying how
    long the block lasts.
    """
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, round(seconds / 60)),
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
