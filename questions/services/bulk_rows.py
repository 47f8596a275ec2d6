"""Bulk inserts of plain rows, for imports of thousands of answers and topic links.

`bulk_create` builds a model instance per row and compiles every value of every row through
the SQL compiler; for rows whose ids nobody needs back, that is most of an import's time. Here
each value goes through its field's `get_db_prep_save` (as bulk_create does, so what is stored
is the same), and the statement is built once: on SQLite one row's INSERT, sent with
executemany (prepared once, run per row in C); on PostgreSQL one INSERT … SELECT FROM unnest()
of one array per column, so a thousand rows are one short statement (a multi-row VALUES of
thousands of placeholders costs psycopg more to parse than it saves, and executemany sends
a statement per row).
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connections, router
from django.db.models import Model
from django.db.models.constants import OnConflict


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """INSERT `rows` (values in the order of `fields`, by attribute name: `question_id`) into
    `model`'s table; with `ignore_conflicts` a row that breaks a unique constraint is skipped,
    as bulk_create(ignore_conflicts=True) does. Returns how many rows were sent."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    columns = [model._meta.get_field(name) for name in fields]
    prepare = [column.get_db_prep_save for column in columns]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    head = "{} {} ({})".format(
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(column.column) for column in columns),
    )
    suffix = ops.on_conflict_suffix_sql(columns, on_conflict, None, None)
    prepared = [
        [prep(value, connection) for prep, value in zip(prepare, row, strict=True)] for row in rows
    ]
    if not prepared:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
            sql = f"{head} SELECT * FROM unnest({arrays}) {suffix}".rstrip()
            cursor.execute(sql, [list(values) for values in zip(*prepared, strict=True)])
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"{head} VALUES ({placeholders}) {suffix}".rstrip(), prepared)
    return len(prepared)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: an import builds tens of thousands of objects,
    which set off full collections of the whole process's heap (60–110 ms each in a worker,
    at random points, measured on the bench), and frees them by reference counting anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
