"""Write all content to a file (see the package docstring for its format)."""

import functools
import json
from collections import Counter
from collections.abc import Iterable
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .common import (
    CHUNK_SIZE,
    FORMAT,
    VERSION,
    ContentEncoder,
    content_models,
    natural_foreign_keys,
)


def export_content(stream: IO[str]) -> Counter:
    """Write every group, user and content object to `stream`; return the counts.

    The queries run in one transaction (repeatable read on PostgreSQL), so the
    file is consistent even while people are editing.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Until its first query, a transaction's isolation level can be set.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        header = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "migrations": _applied_migrations(),
        }
        stream.write(json.dumps(header) + "\n")
        counts: Counter = Counter()
        for model, natural_primary_keys, queryset in _querysets():
            serializers.serialize(
                "jsonl",
                _counted(queryset, counts, model._meta.label_lower),
                stream=stream,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=natural_primary_keys,
                cls=ContentEncoder,
            )
        stream.write(json.dumps({"end": {"counts": counts}}) + "\n")
    return counts


def _querysets() -> Iterable[tuple[type[models.Model], bool, models.QuerySet]]:
    """(model, by natural key?, queryset) in the order the file holds them."""
    User = get_user_model()
    yield (
        Group,
        True,
        Group.objects.order_by("name").prefetch_related("permissions__content_type"),
    )
    yield (
        User,
        False,
        User._default_manager.order_by("pk").prefetch_related(
            "groups", "user_permissions__content_type"
        ),
    )
    for model in content_models():
        # People are written by natural key (username): fetch them in the same query.
        by_natural_key = [field.name for field in natural_foreign_keys(model)]
        yield (
            model,
            False,
            model._base_manager.order_by("pk").select_related(*by_natural_key),
        )


def _counted(queryset: models.QuerySet, counts: Counter, label: str):
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        counts[label] += 1
        yield obj


@functools.cache
def _applied_migrations() -> dict[str, list[str]]:
    labels = {model._meta.app_label for model in content_models()}
    labels |= {get_user_model()._meta.app_label, "auth", "contenttypes"}
    applied: dict[str, list[str]] = {label: [] for label in sorted(labels)}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        if app in applied:
            applied[app].append(name)
    return applied
