"""Bulk insert of rows the laptop does not hold yet (a first sync moves a whole chapter).

SQLAlchemy's Core ``insert`` builds a parameter dictionary per row and runs every value
through the column's type on each call; for 100,000 rows that costs as much as SQLite's own
work. Here the statement, each column's conversion (wire value → Python value → what the
driver stores) and the defaults of absent columns are worked out once per (table, columns),
and rows go to the driver as plain tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.engine import Dialect

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    converters: tuple[Convert | None, ...]  # one per given column, in the given order
    constants: tuple[Any, ...]  # absent columns' scalar defaults, already converted


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (Python values as the ORM holds them); one ``executemany`` per set of
    keys. Absent columns take their scalar default; when an absent column's default is worked
    out per row (a function), that group goes through SQLAlchemy's own insert."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    for keys, group in groups.items():
        names = tuple(sorted(keys))
        if not insert_values(connection, table, names, ([r[n] for n in names] for r in group)):
            connection.execute(insert(table), group)


def insert_values(
    connection: Connection,
    table: Table,
    names: tuple[str, ...],
    rows: Iterable[Sequence[Any]],
    decoders: tuple[Convert | None, ...] | None = None,
) -> bool:
    """Insert rows given as value sequences in ``names`` order. With ``decoders`` (one per
    name) the values are wire values, decoded first. False, with nothing written, when an
    absent column's default must be worked out per row: the caller inserts another way."""
    plan = _plan(table, names, decoders, connection.dialect)
    if plan is None:
        return False
    converters, constants = plan.converters, plan.constants
    params = [
        tuple([v if c is None or v is None else c(v) for c, v in zip(converters, row, strict=True)])
        + constants
        for row in rows
    ]
    if params:
        connection.exec_driver_sql(plan.sql, params)
    return True


@cache
def _plan(
    table: Table,
    names: tuple[str, ...],
    decoders: tuple[Convert | None, ...] | None,
    dialect: Dialect,
) -> _Plan | None:
    if dialect.paramstyle != "qmark":
        return None
    unknown = set(names) - set(table.columns.keys())
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {sorted(unknown)}")
    # Absent columns with no Python default are left out: the database's own default applies.
    absent = [c for c in table.columns if c.name not in names and c.default is not None]
    constants: list[Any] = []
    for column in absent:
        default: Any = column.default
        if not getattr(default, "is_scalar", False):
            return None  # a per-row default (a function or SQL expression)
        value = default.arg
        convert = _stored(column, dialect)
        constants.append(convert(value) if convert and value is not None else value)
    stored = [_stored(table.columns[n], dialect) for n in names]
    converters = tuple(
        _then(d, s) for d, s in zip(decoders or (None,) * len(names), stored, strict=True)
    )
    quote = dialect.identifier_preparer.quote
    columns = [*names, *(c.name for c in absent)]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    return _Plan(sql, converters, tuple(constants))


def _stored(column: Any, dialect: Dialect) -> Convert | None:
    """What the dialect's own type does to a value (a generic ``Date`` has no conversion;
    SQLite's ``DATE`` has), as SQLAlchemy does before it hands values to the driver."""
    convert: Convert | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    return convert


def _then(first: Convert | None, second: Convert | None) -> Convert | None:
    """``second(first(v))``; either may be missing. None stays None (the caller's test)."""
    if first is None or second is None:
        return first or second

    def both(value: Any) -> Any:
        decoded = first(value)
        return None if decoded is None else second(decoded)

    return both
