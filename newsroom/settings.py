"""Settings for Newsroom, read from the environment.

Defaults suit a laptop trying the site out (SQLite file in the project folder).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; without a
SECRET_KEY and with DEBUG off, start-up stops with an explanation.
"""

import os
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
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

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
    "django.forms",
    "django_tables2",
    "django_filters",
    "nested_admin",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions and users (who is anonymous), before clickjacking (stored
    # pages keep their X-Frame-Options). See articles/caching.py.
    "articles.caching.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

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
NEWSROOM_PAGE_CACHE_EXCLUDE = ["/admin/", "/_nested_admin/", "/preview/", "/static/"]
NEWSROOM_PAGE_CACHE_ALIAS = "default"
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

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# The admin's nested inlines post one field per cell: a 40-column table with a
# few hundred rows passes Django's default limit of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

NEWSROOM_SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
# Used in emails, which have no request to take the address from.
NEWSROOM_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A moderator may not approve a version they submitted or wrote. Turn off
# (FOUR_EYES=0) in a newsroom with a single moderator.
NEWSROOM_FOUR_EYES = env_bool("FOUR_EYES", True)
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
