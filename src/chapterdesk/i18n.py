"""One translation hook for the Qt-free layers.

Widgets use Qt's ``tr()``; domain and service messages go through :func:`_` so that a
translation catalogue can be plugged in later without touching every call site.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = lambda text: text  # noqa: E731


def _(text: str) -> str:
    """Return ``text`` in the user's language (identity until a catalogue is installed)."""
    return _translate(text)


def install_translator(translate: Callable[[str], str]) -> None:
    """Route every ``_()`` call through ``translate`` (e.g. a Qt or gettext catalogue)."""
    global _translate
    _translate = translate
