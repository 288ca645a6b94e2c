"""Bulk INSERT with executemany: rows prepared once, written in large batches.

bulk_create builds a model instance and compiles SQL for every row, which costs several times
more than everything else an import does. Here a row is a dict of the values that differ from
the field defaults; `prepare` turns it into the tuple the driver takes (each value through its
field's database preparation: dates, UUIDs, encryption at rest; a default once per table,
except encrypted columns, where every value gets its own nonce), and `execute` writes a list of
such tuples. `prepare` touches no database, so it can run in a forked checking process
(transfer.load) while the parent writes. Also used by the demo seeder.
"""

from __future__ import annotations

import os
import uuid

from django.db import connection

# Fields whose Python value is what the driver takes (unless a subclass changes get_prep_value).
_PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
          "SmallIntegerField", "BigIntegerField", "ForeignKey", "FloatField", "BooleanField"}
BATCH = 20_000


def _django_prep(field):
    """The get_prep_value of Django's own class for this field type (a subclass may override it)."""
    for klass in type(field).__mro__:
        if klass.__module__.startswith("django.db.models.fields"):
            return klass.get_prep_value
    return None


def _converter(field):
    """A function from a row's Python value to the driver's value, or None when it is the same."""
    kind = field.get_internal_type()
    if kind in _PLAIN and type(field).get_prep_value is _django_prep(field):
        return None
    if kind == "DateField" and type(field).get_prep_value is _django_prep(field):
        adapt = connection.ops.adapt_datefield_value
        return adapt
    if kind == "UUIDField" and type(field).get_prep_value is _django_prep(field):
        if connection.features.has_native_uuid_field:
            return None
        return lambda v: v if v is None or isinstance(v, str) else v.hex
    return lambda v: field.get_db_prep_save(v, connection)


def new_uid():
    """A random (version 4) UUID as the driver stores it: 32 hex digits on SQLite."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    if connection.features.has_native_uuid_field:
        return uuid.UUID(bytes=bytes(b))
    return b.hex()


class BulkInsert:
    """INSERT rows of one model (every concrete column but the primary key)."""

    def __init__(self, model, now):
        from aigaq.core.crypto import EncryptedTextField

        meta, qn = model._meta, connection.ops.quote_name
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        self.position = {name: i for i, name in enumerate(self.names)}
        self.spec = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or f.name == "created_at":
                default = now
            else:
                default = f.get_default()
            convert = _converter(f)
            per_row = isinstance(f, EncryptedTextField)
            ready = default if convert is None or per_row else convert(default)
            self.spec.append((f.attname, default, convert, per_row, ready))
        cols = ", ".join(qn(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({marks})"

    def prepare(self, row: dict) -> tuple:
        """The values of one row, in column order; columns not in `row` take their default."""
        out = []
        for name, default, convert, per_row, ready in self.spec:
            if name in row:
                v = row[name]
                out.append(v if convert is None else convert(v))
            else:
                out.append(convert(default) if per_row else ready)
        return tuple(out)

    def execute(self, values: list[tuple]) -> None:
        if not values:
            return
        with connection.cursor() as cursor:
            for i in range(0, len(values), BATCH):
                cursor.executemany(self.sql, values[i : i + BATCH])

    def insert(self, rows: list[dict]) -> None:
        self.execute([self.prepare(r) for r in rows])


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """executemany for link tables whose rows are plain ints and strings, in the order of `fields`."""
    if not rows:
        return
    meta, qn = model._meta, connection.ops.quote_name
    cols = ", ".join(qn(meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])
