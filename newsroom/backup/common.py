"""What export and import share: the file, its format, which models are content."""

import datetime
import gzip
from collections import Counter
from typing import IO

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

FORMAT = "newsroom-content"
VERSION = 1
CONTENT_APPS = ("articles",)
CHUNK_SIZE = 2000
GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    """A file that cannot be imported, or a database that must not receive it."""


def content_models() -> list[type[models.Model]]:
    """Return every model of the content apps, each after the models it needs.

    A cycle (an article and its live revision) is broken at a nullable
    reference; loading relies on deferred foreign keys for it.
    """
    pending = [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    needs = {model: _references(model, pending) for model in pending}
    ordered: list[type[models.Model]] = []
    while pending:
        ready = [
            model
            for model in pending
            if not any(target in pending for target, _ in needs[model])
        ] or [
            model
            for model in pending
            if all(optional for target, optional in needs[model] if target in pending)
        ]
        if not ready:
            raise RuntimeError(f"Models referring to each other: {pending}")
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


def _references(model, candidates) -> set[tuple[type[models.Model], bool]]:
    """Pairs (model referred to, whether the reference may be empty)."""
    return {
        (field.related_model, field.null or field.many_to_many)
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]
        if field.is_relation
        and field.related_model in candidates
        and field.related_model is not model
    }


def open_file(path, mode: str, *, gzipped: bool | None = None) -> IO[str]:
    """Open an export for text reading ("r") or writing ("w"), gzipped if need be.

    Writing gzips when `gzipped` says so, by default when the name ends in
    ".gz"; reading recognises gzip by its first bytes, whatever the name.
    """
    if mode == "r":
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == GZIP_MAGIC
    elif gzipped is None:
        gzipped = str(path).endswith(".gz")
    opener = gzip.open if gzipped else open
    # Only "\n" ends a line: the serializer escapes it inside strings, while
    # other line separators (U+2028...) may appear in text as they are.
    return opener(path, mode + "t", encoding="utf-8", newline="\n")


class ContentEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, without its cut of times to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def describe_counts(counts: Counter) -> str:
    if not +counts:
        return "nothing"
    return ", ".join(f"{count} {kind(label)}" for label, count in counts.items())


def kind(label: str) -> str:
    """Name a model label ("articles.bulletitem") for people: "list items"."""
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label


def natural_foreign_keys(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one
        and hasattr(field.related_model, "natural_key")
        and hasattr(field.related_model._default_manager, "get_by_natural_key")
    ]
