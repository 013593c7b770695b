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
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.engine import Dialect

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    converters: tuple[tuple[int, Convert], ...]  # (position, conversion) where one is needed
    # Wire values that are already what the driver stores: checked for a whole page at once.
    types: tuple[tuple[int, frozenset[type]], ...]  # JSON text, numbers, flags
    values: tuple[tuple[int, frozenset[Any]], ...]  # an enum stored by its value
    constants: tuple[Any, ...]  # absent columns' scalar defaults, already converted
    fallback: tuple[Convert | None, ...]  # each column's full conversion (names its error)


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
    page = [list(row) for row in rows]
    if not page:
        return True
    for i, accepted in plan.types:
        if not set(map(type, map(itemgetter(i), page))) <= accepted:
            _convert_column(page, i, plan.fallback[i])  # raises, naming the field
    for i, known in plan.values:
        if not set(map(itemgetter(i), page)) <= known:
            _convert_column(page, i, plan.fallback[i])
    for i, convert in plan.converters:
        _convert_column(page, i, convert)
    constants = plan.constants
    params = [(*row, *constants) for row in page] if constants else list(map(tuple, page))
    connection.exec_driver_sql(plan.sql, params)
    return True


def _convert_column(page: list[list[Any]], i: int, convert: Convert | None) -> None:
    if convert is None:
        return
    for row in page:
        value = row[i]
        if value is not None:
            row[i] = convert(value)


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
    converters: list[tuple[int, Convert]] = []
    types: list[tuple[int, frozenset[type]]] = []
    values: list[tuple[int, frozenset[Any]]] = []
    fallback: list[Convert | None] = []
    for i, name in enumerate(names):
        column = table.columns[name]
        stored = _stored(column, dialect)
        decode = decoders[i] if decoders else None
        full = _then(decode, stored)
        fallback.append(full)
        if decode is not None and (kinds := _as_stored_types(column, stored)):
            types.append((i, kinds))
        elif decode is not None and (known := _as_stored_values(column, stored)):
            values.append((i, known))
        elif full is not None:
            converters.append((i, full))
    quote = dialect.identifier_preparer.quote
    columns = [*names, *(c.name for c in absent)]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    return _Plan(
        sql, tuple(converters), tuple(types), tuple(values), tuple(constants), tuple(fallback)
    )


def _stored(column: Any, dialect: Dialect) -> Convert | None:
    """What the dialect's own type does to a value (a generic ``Date`` has no conversion;
    SQLite's ``DATE`` has), as SQLAlchemy does before it hands values to the driver."""
    convert: Convert | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    return convert


def _as_stored_types(column: Any, stored: Convert | None) -> frozenset[type] | None:
    """Text, whole numbers and flags arrive as the driver stores them (sqlite3 stores a bool
    as 0/1 itself): only their JSON type needs checking."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    if python_type is bool or (stored is None and python_type in (str, int)):
        return frozenset({python_type, type(None)})
    return None


def _as_stored_values(column: Any, stored: Convert | None) -> frozenset[Any] | None:
    """An enum stored by its value arrives as that value: only membership needs checking."""
    members = getattr(column.type, "enum_class", None)
    if members is None or stored is None:
        return None
    if any(stored(m) != m.value for m in members):
        return None
    return frozenset({*(m.value for m in members), None})


def _then(first: Convert | None, second: Convert | None) -> Convert | None:
    """``second(first(v))``; either may be missing. None stays None (the caller's test)."""
    if first is None or second is None:
        return first or second

    def both(value: Any) -> Any:
        decoded = first(value)
        return None if decoded is None else second(decoded)

    return both
