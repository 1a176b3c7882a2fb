"""Querysets compiled once per process and database, run with new values.

Building and compiling a queryset is most of what a small query costs
Django: the public article page's two queries took about 2 ms of CPU to
build and compile (lookups resolved, joins set up, SQL written) and 0.07 ms
to run on SQLite (bench/render_profile.py). A `PreparedQuery` compiles its
queryset the first time it runs on a connection, with a placeholder for
each value that changes (a slug, the time), and after that only runs the
SQL with the new values, turning rows into model instances as Django's
`ModelIterable` does (`select_related` included).

Only for querysets whose SQL depends on nothing but their values: no
`prefetch_related`, no `extra()`, nothing computed from settings that
change while the process runs.
"""

import datetime
import weakref
from collections.abc import Callable

from django.db import connections, router
from django.db.models import DateTimeField, Field, IntegerField, QuerySet
from django.db.models.query import get_related_populators

# Placeholders by kind of value: distinct values, which no real query uses,
# found again among the compiled query's parameters.
_STRING = "\x00placeholder-{}\x00"
_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
# In the range of every integer field (Django drops a lookup outside it).
_NUMBER = 31_999


def _placeholder(field: Field, index: int, name: str):
    """A value for `field` (a number for integers and keys to them) of its own."""
    if field.is_relation:
        field = field.target_field
    if isinstance(field, DateTimeField):
        return _TIME + datetime.timedelta(minutes=index)
    if isinstance(field, IntegerField):
        return _NUMBER - index
    return _STRING.format(name)


class PreparedQuery:
    """`build(**values)`'s queryset, compiled once per connection.

    `fields` names each value and the model field it is compared with, which
    turns it into the database's parameter (a time, on SQLite, becomes text).

        query = PreparedQuery(
            lambda slug, now: Article.objects.filter(slug=slug, published_at__lte=now),
            slug=Article._meta.get_field("slug"),
            now=Article._meta.get_field("published_at"),
        )
        articles = query.run(slug="budget", now=timezone.now())
    """

    def __init__(self, build: Callable[..., QuerySet], **fields: Field):
        self.build = build
        self.fields = fields
        # By connection: a thread's own, as connections[alias] gives them.
        self._compiled = weakref.WeakKeyDictionary()
        self.placeholders = {
            name: _placeholder(field, index, name)
            for index, (name, field) in enumerate(fields.items())
        }
        self.model = None  # known once built

    def run(self, **values) -> list:
        """Return the model instances of the query with these values."""
        if self.model is None:
            self.model = self.build(**self.placeholders).model
        # The database a queryset of it would read (the replica, for readers).
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            slots = {
                name: (self.placeholders[name], field)
                for name, field in self.fields.items()
            }
            queryset = self.build(**self.placeholders)
            compiled = _Compiled(queryset, alias, connection, slots)
            self._compiled[connection] = compiled
        return compiled.run(connection, values)


class _Compiled:
    """A queryset's SQL, where its values go, and how its rows become objects."""

    def __init__(self, queryset: QuerySet, alias: str, connection, slots: dict):
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        # Where each value goes among the parameters, and its field; the
        # placeholder must be found exactly once.
        self.positions = []
        for name, (placeholder, field) in slots.items():
            found = [
                index
                for index, param in enumerate(self.params)
                if param == _db_value(field, placeholder, connection)
            ]
            if len(found) != 1:
                raise ValueError(
                    f"{name!r} is {len(found)} times in the query's parameters"
                )
            self.positions.append((found[0], name, field))
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in select[self.start : self.end]
        ]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(
            compiler.get_converters(
                [column[0] for column in select[: compiler.col_count]]
            ).items()
        )
        self.alias = alias

    def run(self, connection, values: dict) -> list:
        params = list(self.params)
        for index, name, field in self.positions:
            params[index] = _db_value(field, values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in rows:
            if self.converters:
                row = list(row)
                for position, (converters, expression) in self.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            obj = self.model.from_db(
                self.alias, self.init_list, row[self.start : self.end]
            )
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _db_value(field: Field, value, connection):
    """The parameter a lookup on `field` gives the database for `value`."""
    return field.get_db_prep_value(field.get_prep_value(value), connection, True)
