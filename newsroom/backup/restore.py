"""Load a content file in one transaction (see the package docstring)."""

import json
from collections import Counter
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max

from articles import caching

from .common import (
    CHUNK_SIZE,
    FORMAT,
    VERSION,
    BackupError,
    content_models,
    describe_counts,
    natural_foreign_keys,
)


def import_content(stream: IO[str], *, replace: bool = False) -> tuple[dict, Counter]:
    """Load an export into a database without content; return its header and counts.

    With `replace`, existing content is deleted first. Users are matched by
    username: one who exists already is updated, others are added (keeping
    their primary key when it is free). Everything happens in one transaction;
    any problem raises BackupError and leaves the database as it was.
    """
    header = _read_header(stream)
    _check_migrations(header)
    try:
        with transaction.atomic():
            existing = _existing_content()
            if existing and not replace:
                raise BackupError(
                    "The database already holds content "
                    f"({describe_counts(existing)}). "
                    "import_content loads into a database without content; "
                    "use --replace to delete the existing content first."
                )
            if existing:
                _delete_content()
            loader = _Loader()
            loader.load(stream)
            loader.finish()
    except DatabaseError as error:
        raise BackupError(f"The database refused the import: {error}") from error
    # Pages cached from the content that was there before are now wrong.
    caching.invalidate_site()
    return header, loader.counts


def _read_header(stream: IO[str]) -> dict:
    try:
        line = stream.readline()
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise BackupError(f"The file cannot be read: {error}.") from error
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(
            "This is not a Newsroom content export: its first line should say "
            f'"format": "{FORMAT}".'
        )
    if header.get("version") != VERSION:
        raise BackupError(
            f"This export is in version {header.get('version')!r} of the format; "
            f"this Newsroom reads version {VERSION} only."
        )
    return header


def _check_migrations(header: dict) -> None:
    applied = MigrationRecorder(connection).applied_migrations()
    missing = [
        f"{app}.{name}"
        for app, names in (header.get("migrations") or {}).items()
        for name in names
        if (app, name) not in applied
    ]
    if missing:
        raise BackupError(
            "This export was made by a newer version of Newsroom: these "
            f"migrations are not applied here: {', '.join(missing)}. Upgrade and "
            "run `manage.py migrate` first."
        )


def _existing_content() -> Counter:
    counts = Counter()
    for model in content_models():
        if model._base_manager.exists():
            counts[model._meta.label_lower] = model._base_manager.count()
    return counts


def _delete_content() -> None:
    """Empty the content tables (people are kept), as `manage.py flush` does."""
    tables = []
    for model in content_models():
        tables.append(model._meta.db_table)
        tables += [
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    # PostgreSQL refuses to truncate tables with pending deferred checks.
    connection.check_constraints()
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))


def _bulk_insertable(model) -> bool:
    """Whether `bulk_create` writes this model's rows exactly as given.

    It would set `auto_now` times to now, and it skips many-to-many values
    and parent tables: such models are saved one by one.
    """
    meta = model._meta
    return not (
        meta.parents
        or meta.local_many_to_many
        or any(
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            for field in meta.concrete_fields
        )
    )


class _Loader:
    """Save the objects of an export as they are read, in batches where possible."""

    def __init__(self):
        self.user_model = get_user_model()
        self.models = {
            model._meta.label_lower: model
            for model in [Group, self.user_model, *content_models()]
        }
        self.counts: Counter = Counter()
        self.end: dict | None = None
        self.line = 1
        # (model, natural key) -> primary key, so content rows need no query.
        self.natural_pks: dict[tuple, object] = {}
        self.bulk = {model for model in content_models() if _bulk_insertable(model)}
        self.batch: list[models.Model] = []
        self.batch_start = self.batch_end = 0

    def load(self, stream: IO[str]) -> None:
        try:
            for self.line, text in enumerate(stream, start=2):
                if not text.strip():
                    continue
                if self.end is not None:
                    raise BackupError(self._at("there is more after the last line."))
                try:
                    data = json.loads(text)
                except ValueError as error:
                    raise BackupError(self._at(f"not valid JSON ({error}).")) from None
                if not isinstance(data, dict):
                    raise BackupError(self._at("not an object."))
                if "end" in data:
                    self.end = data["end"]
                else:
                    self.save(data)
            self.insert_batch()
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise BackupError(self._at(f"the file cannot be read: {error}.")) from None

    def save(self, data: dict) -> None:
        model = self.models.get(str(data.get("model")))
        if model is None or not isinstance(data.get("fields"), dict):
            raise BackupError(
                self._at(f"{data.get('model')!r} is not part of a content export.")
            )
        self.resolve_natural_keys(model, data["fields"])
        try:
            [obj] = serializers.deserialize("python", [data])
        except (DeserializationError, FieldDoesNotExist, ObjectDoesNotExist) as error:
            raise BackupError(self._at(str(error))) from None
        self.counts[model._meta.label_lower] += 1
        if self.batch and type(self.batch[0]) is not model:
            self.insert_batch()
        if model in self.bulk:
            if not self.batch:
                self.batch_start = self.line
            self.batch.append(obj.object)
            self.batch_end = self.line
            if len(self.batch) >= CHUNK_SIZE:
                self.insert_batch()
            return
        try:
            if model is self.user_model:
                self.place_user(obj.object)
                obj.save()
                key = (model, tuple(obj.object.natural_key()))
                self.natural_pks[key] = obj.object.pk
            elif model is Group:
                obj.save()  # matched by name: the roles exist after `migrate`
            else:
                obj.save(force_insert=True)
        except DatabaseError as error:
            raise BackupError(self._at(f"the database refused it: {error}")) from error

    def insert_batch(self) -> None:
        if not self.batch:
            return
        try:
            type(self.batch[0])._base_manager.bulk_create(self.batch)
        except DatabaseError as error:
            raise BackupError(
                f"Lines {self.batch_start}-{self.batch_end}: the database refused "
                f"them: {error} Nothing was imported."
            ) from error
        self.batch = []

    def resolve_natural_keys(self, model, fields: dict) -> None:
        """Replace references by natural key (usernames) with primary keys."""
        for field in natural_foreign_keys(model):
            key = fields.get(field.name)
            if not isinstance(key, list):
                continue
            target = field.related_model
            if (target, tuple(key)) not in self.natural_pks:
                manager = target._default_manager
                try:
                    related = manager.get_by_natural_key(*key)
                except target.DoesNotExist:
                    raise BackupError(
                        self._at(
                            f"it refers to the {target._meta.verbose_name} "
                            f"{' '.join(map(str, key))!r}, who is not in the file."
                        )
                    ) from None
                self.natural_pks[target, tuple(key)] = related.pk
            fields[field.name] = self.natural_pks[target, tuple(key)]

    def place_user(self, user) -> None:
        """Take the pk of the user of the same username, else keep theirs if free."""
        manager = self.user_model._default_manager
        try:
            user.pk = manager.get_by_natural_key(*user.natural_key()).pk
        except self.user_model.DoesNotExist:
            if manager.filter(pk=user.pk).exists():
                # The next free pk, not None: a PostgreSQL sequence does not
                # know of the pks inserted so far, and could hand one out.
                user.pk = (manager.aggregate(last=Max("pk"))["last"] or 0) + 1

    def finish(self) -> None:
        """Check the file was complete and consistent, then reset the sequences."""
        if self.end is None:
            raise BackupError(
                "The file ends before its last line: it was cut short (an "
                "interrupted export or copy?). Nothing was imported."
            )
        expected = self.end.get("counts") if isinstance(self.end, dict) else None
        expected = Counter(expected if isinstance(expected, dict) else {})
        if expected != self.counts:
            raise BackupError(
                f"The file is damaged: it should hold {describe_counts(expected)}, "
                f"but holds {describe_counts(self.counts)}. Nothing was imported."
            )
        try:
            connection.check_constraints()
        except DatabaseError as error:
            raise BackupError(
                f"The file refers to rows it does not hold: {error}"
            ) from error
        statements = connection.ops.sequence_reset_sql(
            no_style(), list(self.models.values())
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _at(self, message: str) -> str:
        return f"Line {self.line}: {message} Nothing was imported."
