"""The PySide6 user interface: a thin layer over :mod:`chapterdesk.services`."""
