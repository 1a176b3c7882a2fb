"""The array dumper of newsroom.postgres writes what psycopg's own writes."""

import pytest
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper

from newsroom.postgres import TextArrayDumper

TRICKY = [
    ['{"a": "b \\"quoted\\""}', "back\\slash", 'both \\" at once'],
    ["plain", "", None, "with, comma", " spaces ", "{braces}", "NULL"],
    [["nested", 'qu"ote'], ["x", "y"]],
]


@pytest.mark.parametrize("value", TRICKY)
def test_the_faster_escaping_writes_the_same_arrays(value):
    transformer = Transformer()
    theirs = ListDumper(list, transformer).upgrade(value, PyFormat.TEXT)
    ours = TextArrayDumper(list, transformer).upgrade(value, PyFormat.TEXT)
    assert type(ours) is TextArrayDumper
    assert bytes(ours.dump(value)) == bytes(theirs.dump(value))


@pytest.mark.django_db
def test_postgresql_connections_use_it_and_read_back_what_it_writes():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs the suite on it)")
    with connection.cursor() as cursor:
        dumper = cursor.connection.adapters.get_dumper(list, PyFormat.TEXT)
        assert dumper is TextArrayDumper
        for value in TRICKY[:2]:
            cursor.execute("SELECT %s::text[]", [value])
            assert cursor.fetchone()[0] == value
