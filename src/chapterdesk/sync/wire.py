"""Column values on the wire: JSON only, and back to what each column holds."""

from __future__ import annotations

import base64
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary
from sqlalchemy import inspect as sa_inspect

from chapterdesk.store.models import Base
from chapterdesk.store.types import UTCDateTime


def to_wire(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def from_wire(model: type[Base], field: str, value: Any) -> Any:
    """The Python value column ``field`` of ``model`` holds for a wire value; ``ValueError``
    when the value does not fit (a malformed push)."""
    if value is None:
        return None
    column = sa_inspect(model).columns[field]
    kind = column.type
    try:
        if isinstance(kind, LargeBinary):
            return base64.b64decode(value["b64"], validate=True)
        if isinstance(kind, UTCDateTime | DateTime):
            return datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return date.fromisoformat(value)
        enum_class = getattr(kind, "enum_class", None)
        if enum_class is not None:
            return enum_class(value)
        python_type = kind.python_type
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{field}: {exc}") from exc
    except NotImplementedError:
        return value
    if python_type is bool and isinstance(value, bool):
        return value
    if python_type is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if python_type is str and isinstance(value, str):
        return value
    if python_type in (dict, list) and isinstance(value, python_type):
        return value
    raise ValueError(f"{field}: {type(value).__name__} where {python_type.__name__} belongs")


def row_fields(row: Base, names: tuple[str, ...] | frozenset[str]) -> dict[str, Any]:
    return {name: to_wire(getattr(row, name)) for name in names}
