"""Column values on the wire: JSON only, and back to what each column holds.

A snapshot moves every row of a chapter, so the conversion for each column is worked out once
(:func:`encoder`, :func:`decoder`) instead of inspecting the column for every value."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary
from sqlalchemy import inspect as sa_inspect

from chapterdesk.store.models import Base
from chapterdesk.store.types import UTCDateTime

Convert = Callable[[Any], Any]


def to_wire(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


@cache
def encoder(model: type[Base], field: str) -> Convert | None:
    """How column ``field`` of ``model`` goes on the wire; None when its values already are
    JSON (text, numbers, flags, JSON columns)."""
    kind = sa_inspect(model).columns[field].type
    if isinstance(kind, LargeBinary | UTCDateTime | DateTime | Date) or getattr(
        kind, "enum_class", None
    ):
        return _or_none(to_wire)
    return None


def _or_none(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def from_wire(model: type[Base], field: str, value: Any) -> Any:
    """The Python value column ``field`` of ``model`` holds for a wire value; ``ValueError``
    when the value does not fit (a malformed push)."""
    return decoder(model, field)(value)


@cache
def decoder(model: type[Base], field: str) -> Convert:
    """The checked conversion of a wire value into what column ``field`` holds (None stays
    None); raises ``ValueError`` for a value that does not fit."""
    column = sa_inspect(model).columns[field]
    kind = column.type
    convert: Convert
    if isinstance(kind, LargeBinary):
        convert = lambda value: base64.b64decode(value["b64"], validate=True)  # noqa: E731
    elif isinstance(kind, UTCDateTime | DateTime):
        convert = datetime.fromisoformat
    elif isinstance(kind, Date):
        convert = date.fromisoformat
    elif getattr(kind, "enum_class", None) is not None:
        convert = kind.enum_class  # type: ignore[attr-defined]
    else:
        try:
            python_type = kind.python_type
        except NotImplementedError:
            return lambda value: value
        return _checked(field, python_type)

    def guarded(value: Any) -> Any:
        if value is None:
            return None
        try:
            return convert(value)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{field}: {exc}") from exc

    return guarded


def _checked(field: str, python_type: type) -> Convert:
    """A JSON value of the column's own type passes as it is (None too); anything else is a
    malformed value. The exact-class test first: this runs for every field of a snapshot."""
    exact = python_type

    def check(value: Any) -> Any:
        if value is None or value.__class__ is exact:
            return value
        if python_type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif python_type in (str, dict, list):
            ok = isinstance(value, python_type)
        elif python_type is object:  # a JSON column: any JSON value
            ok = True
        else:
            ok = False
        if not ok:
            raise ValueError(
                f"{field}: {type(value).__name__} where {python_type.__name__} belongs"
            )
        return value

    return check


def row_fields(row: Base, names: tuple[str, ...] | frozenset[str]) -> dict[str, Any]:
    return {name: to_wire(getattr(row, name)) for name in names}
