"""Settings for Newsroom, read from the environment.

Defaults suit a laptop trying the site out (SQLite file in the project folder).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; without a
SECRET_KEY and with DEBUG off, start-up stops with an explanation.

One file over 400 lines on purpose: every setting and the environment variable
it reads stay in one place to search (the house style's "one settings.py"),
and most lines are the comments that say why a value is what it is.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (any long random "
            "string), or set DEBUG=1 to use the development key on a laptop."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "articles",
    # --- production (docs/deploy.md): login throttling, Content-Security-Policy
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.resilience.DatabaseUnavailableMiddleware",
    # Static files, before anything that does work (WhiteNoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Readers' pages from the shared cache, before sessions, CSRF and users
    # are even looked at; staff are told apart later. See articles/caching/.
    "articles.caching.PageCacheMiddleware",
    # Oversized bodies refused before they are read; readers' reads to the
    # replica, before anything reads the database (docs/deploy.md).
    "newsroom.security.RequestSizeLimitMiddleware",
    "newsroom.routers.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # --- production (docs/deploy.md): the Content-Security-Policy header goes on
    # inside the page cache, so that a stored page keeps its view's policy (the
    # table embed's); django-csp's middleware, with the settings' policy built
    # once (newsroom/security.py); django-axes turns a refused login into its
    # page (last).
    "newsroom.security.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Widgets' templates live in templates/ with the rest.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "newsroom.wsgi.application"

# DATABASE_URL: e.g. postgres://user:password@127.0.0.1:5432/newsroom (psycopg 3).
# --- production (docs/deploy.md): connections checked before reuse; on
# PostgreSQL a connect timeout (an unreachable server fails the request in
# DB_CONNECT_TIMEOUT seconds instead of hanging the worker), a connection pool
# per process with DB_POOL=1, and an optional read replica (DATABASE_REPLICA_URL).
DB_POOL = env_bool("DB_POOL")
# Without the pool, each process keeps its connection for a minute (checked
# before reuse): a new PostgreSQL connection per request (scram-sha-256
# login, a backend started) cost more CPU than rendering the page.
conn_max_age = int(os.environ.get("CONN_MAX_AGE") or ("0" if DB_POOL else "60"))
if DB_POOL and conn_max_age:
    raise ImproperlyConfigured(
        f"DB_POOL=1 cannot go with CONN_MAX_AGE={conn_max_age}: the pool keeps "
        "connections open itself. Unset CONN_MAX_AGE (or set it to 0)."
    )


def database(url: str) -> dict:
    config = dj_database_url.parse(
        url, conn_max_age=conn_max_age, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault(
            "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
        )
        if DB_POOL:
            # Seconds a request waits for a connection before the 503 page. A
            # sync worker never waits for a free one (it uses one at a time):
            # this bounds the wait while the database is down.
            timeout = float(os.environ.get("DB_POOL_TIMEOUT", "2"))
            # Sizes per process and per database: a sync worker uses one
            # connection at a time, a gthread worker one per thread.
            options["pool"] = {
                "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
                "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
                "timeout": timeout,
                # The pool retries a connection it could not make after 1, 2,
                # 4, 8... s, for 5 minutes by default: after an outage, requests
                # kept timing out (503) until the next retry, seconds after the
                # database was back. Given up after `timeout`, a connection is
                # tried again as soon as a request waits for one.
                "reconnect_timeout": timeout,
            }
    elif DB_POOL:
        raise ImproperlyConfigured(
            "DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://...)."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options = config.setdefault("OPTIONS", {})
        # Transactions (atomic blocks) take SQLite's write lock when they
        # begin, and wait up to `timeout` seconds for it. With the default
        # (BEGIN DEFERRED) two requests that both read, then write, e.g. two
        # moderators approving one article, deadlock: SQLite fails one at
        # once with "database is locked" (a 503), whatever the timeout.
        # Queries outside atomic blocks, such as readers' pages, are as before.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
    return config


DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    # Tests read the primary through this alias too (no second test database).
    DATABASES["replica"] = {
        **database(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
# After a request that may write, reads stay on the primary this long on every
# app server (the replica's lag; see newsroom/routers.py).
NEWSROOM_REPLICA_HOLD_SECONDS = int(os.environ.get("REPLICA_HOLD_SECONDS", "5"))
# ---

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every app server shares: Redis when REDIS_URL is set (e.g.
# redis://127.0.0.1:6379/0), else this process's memory (one process only:
# other processes would not see invalidations). Short socket timeouts: a page
# never waits long for a cache that is down; it is served without it.
# CACHE_VERSION (e.g. the release) drops every cached page and body on deploy.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "VERSION": os.environ.get("CACHE_VERSION", "1"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "KEY_PREFIX": "newsroom",
            "VERSION": os.environ.get("CACHE_VERSION", "1"),
            # A long article's page is a few hundred KB: this bounds the memory.
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }
# Whole public pages for anonymous readers (PAGE_CACHE=0 turns it off), kept
# PAGE_CACHE_SECONDS on the server; publishing invalidates them at once.
NEWSROOM_PAGE_CACHE = env_bool("PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# What browsers (max-age) and a CDN (s-maxage) may keep without asking again.
NEWSROOM_PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
NEWSROOM_PAGE_CDN_MAX_AGE = int(os.environ.get("PAGE_CDN_MAX_AGE", "60"))
NEWSROOM_PAGE_CACHE_EXCLUDE = [
    "/admin/",
    "/preview/",
    "/static/",
    "/healthz",  # production: always a fresh answer (newsroom/health.py)
]
NEWSROOM_PAGE_CACHE_ALIAS = "default"
# HTTP caches in front of the app servers (newsroom/purge.py, docs/deploy.md).
# Public responses name what they show in these headers (space-separated
# keys): `xkey` for Varnish, `Surrogate-Key` for CDNs. Empty: neither.
NEWSROOM_SURROGATE_KEY_HEADERS = env_list(
    "SURROGATE_KEY_HEADERS", ["xkey", "Surrogate-Key"]
)
# Caches told when readers' pages change: Varnish instances purged by key
# (PURGE_VARNISH_URLS, e.g. http://127.0.0.1:6081) and caches that only purge
# an address at a time (PURGE_URLS, with the hosts in PURGE_HOSTS, default
# ALLOWED_HOSTS), both comma-separated.
NEWSROOM_PURGE_BACKENDS = [
    {"BACKEND": "newsroom.purge.VarnishXkeyBackend", "LOCATION": location}
    for location in env_list("PURGE_VARNISH_URLS", [])
] + [
    {
        "BACKEND": "newsroom.purge.HTTPPurgeBackend",
        "LOCATION": location,
        "HOSTS": env_list("PURGE_HOSTS", []),
    }
    for location in env_list("PURGE_URLS", [])
]
# Rendered article bodies, by revision (BODY_CACHE=0 turns it off).
NEWSROOM_BODY_CACHE = env_bool("BODY_CACHE", True)
NEWSROOM_BODY_CACHE_SECONDS = int(os.environ.get("BODY_CACHE_SECONDS", "86400"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates are shown through named formats (DATE_FORMAT...), set per language
# in newsroom/formats/; translations of the project's own templates and code
# go in locale/ (`manage.py makemessages -l fr` from the project's folder).
FORMAT_MODULE_PATH = ["newsroom.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")

# --- production (docs/deploy.md): files. WhiteNoise serves static files from
# every app server. With STATIC_MANIFEST (on when DEBUG is off) they carry a
# hash of their content in their name, are precompressed and cached for good (immutable):
# `collectstatic` must have run into STATIC_ROOT, or pages fail to render. The
# test suite turns it off (pyproject.toml): tests then never depend on what an
# earlier collectstatic left in STATIC_ROOT, and WhiteNoise serves from the
# source folders; test_production.py checks the hashed files in a subprocess.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_MANIFEST
# Uploaded media go through Django's storage API: a folder by default (shared
# between app servers only if the folder is), an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (django-storages; see docs/deploy.md).
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    from importlib.util import find_spec

    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            "pip install 'django-storages[s3]==1.14.6' (see docs/deploy.md), "
            "or unset AWS_STORAGE_BUCKET_NAME to keep media in MEDIA_ROOT."
        )
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the
            # environment, or the server's role (boto3's usual search).
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "file_overwrite": False,
            "default_acl": None,  # the bucket's policy decides
        },
    }
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": "newsroom.staticfiles.ManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "newsroom.staticfiles.StaticFilesStorage"
    },
}

# Request bodies. Form posts (the article with its tables, up to 1,000 rows x
# 40 columns each as JSON; 512 KB of pasted text on the import page) stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE. Uploads are limited to 2 MB a file by their
# forms (articles/importing MAX_BYTES, admin/table_import.py MAX_BYTES): below
# FILE_UPLOAD_MAX_MEMORY_SIZE, so an accepted file is read from memory; a larger
# one is streamed to a temporary file, then refused by its form. A multipart
# body (up to 10 files on the import page) is refused with 413 past
# NEWSROOM_MAX_UPLOAD_BODY, before it is read (newsroom/security.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024 + 64 * 1024
NEWSROOM_MAX_UPLOAD_BODY = int(os.environ.get("MAX_UPLOAD_BODY_MB", "50")) * 1024 * 1024
# ---

NEWSROOM_SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
# Used in emails, which have no request to take the address from.
NEWSROOM_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A moderator may not approve a version they submitted or wrote. Turn off
# (FOUR_EYES=0) in a newsroom with a single moderator.
NEWSROOM_FOUR_EYES = env_bool("FOUR_EYES", True)
# Editors must resolve the comments on a returned version before submitting it
# again (REQUIRE_RESOLVED_COMMENTS=1).
NEWSROOM_REQUIRE_RESOLVED_COMMENTS = env_bool("REQUIRE_RESOLVED_COMMENTS", False)
# Editors may share preview links to their own articles; EDITORS_MAY_SHARE=0
# leaves sharing to moderators.
NEWSROOM_EDITORS_MAY_SHARE = env_bool("EDITORS_MAY_SHARE", True)
# Imported articles without a desk of their own go to this one (made if missing).
NEWSROOM_IMPORT_DESK = os.environ.get("IMPORT_DESK", "imported")

# Email: printed to the console unless EMAIL_BACKEND says otherwise (e.g.
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST and friends).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
NEWSROOM_ARTICLES_PER_PAGE = 20

# ----------------------------------------------------------------------------
# --- production (docs/deploy.md): HTTPS, security headers, CSP, login
# throttling, sessions and logs. Every value comes from the environment; the
# defaults are the production ones whenever DEBUG is off.

# HTTPS. TLS usually ends at the load balancer or CDN: SECURE_PROXY_SSL_HEADER
# names the header it sets, as "Header-Name: value" (e.g. "X-Forwarded-Proto:
# https"). Set it only if that proxy always sets or strips the header, or a
# client could claim HTTPS over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers check health over plain HTTP (newsroom/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if proxy_ssl_header:
    header_name, _, header_value = proxy_ssl_header.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + header_name.strip().upper().replace("-", "_"),
        header_value.strip() or "https",
    )
# Browsers come back over HTTPS only, for a year. Preloading (hard to undo: it
# ships in browsers) is a separate decision: SECURE_HSTS_PRELOAD=1, then submit
# the domain at hstspreload.org. Without it the deploy check's reminder
# (security.W021) is silenced rather than nudging everyone into preloading.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS") or (0 if DEBUG else 31_536_000)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Origins (scheme and host) allowed to post forms besides the site itself,
# e.g. https://admin.news.example.org when it proxies to the same servers.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Other sites see that readers came from us, but not which page.
SECURE_REFERRER_POLICY = os.environ.get(
    "SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin"
)
X_FRAME_OPTIONS = "DENY"
# The client's address for login throttling (newsroom/security.py, client_ip):
# proxies in front of the app servers that append to X-Forwarded-For (CDN and
# load balancer: 2), and the networks they connect from. An entry of the
# header is believed only if the address that handed the request over is in
# one of these networks, so a request that skips a proxy cannot choose its
# address. The default, loopback and private networks, suits a load balancer
# on a private network; a CDN's public ranges must be listed. App servers must
# be reachable only through the proxies (docs/deploy.md).
NEWSROOM_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
NEWSROOM_TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES",
    [
        "127.0.0.0/8",
        "::1/128",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "fc00::/7",
    ],
)
for network in NEWSROOM_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {error}. List networks such as 10.0.0.0/8, "
            "separated by commas."
        ) from None

# Content-Security-Policy (django-csp 4). Only our own files: no inline
# scripts, no eval, no plugins, no <base>, forms post to us, no framing (the
# table embed view lifts frame-ancestors for itself: articles/views.py; the
# admin's revision preview and the document editor's preview allow the site
# itself: articles/admin/views/history.py and editor.py).
# `<script type="application/json">` and `ld+json` blocks are data and are
# not governed by script-src. style-src 'self' too: no template has a
# `style=` attribute, Django's admin (5.2) has none in its templates and sets
# styles from its scripts through the DOM (allowed), and so do our scripts
# (checked in Chromium by test_production.py). CSP_REPORT_URI collects violations if set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": os.environ.get("CSP_REPORT_URI") or None,
    }
}

# Login throttling (django-axes). Recent failed logins are counted three ways,
# each with its own limit; reaching one refuses logins (429) until enough of
# the failures that reached it are LOGIN_LOCKOUT_MINUTES (15) old:
# - one username from one address, LOGIN_FAILURE_LIMIT (5): guessing at one
#   account from one place;
# - one address, any username, LOGIN_FAILURE_LIMIT_PER_ADDRESS (20): password
#   spraying (colleagues behind one office address share this count);
# - one username, any address, LOGIN_FAILURE_LIMIT_PER_USERNAME (30): guessing
#   at one account from many places. This one lets strangers lock a colleague
#   out, so it is higher, and logins refused during a lockout are not counted
#   (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT): each address adds at most
#   LOGIN_FAILURE_LIMIT failures, so locking an account out takes 6 addresses.
# 0 turns either of the last two off. A successful login clears the failures
# of that username from that address only (newsroom/security.py). Attempts are
# kept in the database, shared by every app server.
AUTHENTICATION_BACKENDS = [
    "newsroom.security.LoginThrottleBackend",  # django-axes; must come first
    "django.contrib.auth.backends.ModelBackend",
]
NEWSROOM_LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
NEWSROOM_LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(
    os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20")
)
NEWSROOM_LOGIN_FAILURE_LIMIT_PER_USERNAME = int(
    os.environ.get("LOGIN_FAILURE_LIMIT_PER_USERNAME", "30")
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "newsroom.security.LoginThrottleHandler"
AXES_FAILURE_LIMIT = "newsroom.security.failure_limit"  # the one reached
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
# Lockouts are logged (warnings); no banner on every command's start.
AXES_VERBOSE = False

# Sessions (staff only: readers have none) stay in the database, which every
# app server shares: they survive a Redis outage, so editors can keep working
# while pages are served uncached (articles/tests/system/test_faults.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Logs: one JSON object per line on standard output (LOG_FORMAT=text for
# people; the default with DEBUG on). gunicorn.conf.py logs requests the same way.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (console with DEBUG, mail to ADMINS) give way
        # to the root's: one line per event.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
# ---
