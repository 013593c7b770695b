"""Offline-first sync between this laptop and the chapter server (``docs/sync.md``).

Qt-free: the window drives it from a worker thread through :class:`chapterdesk.services.desk.Desk`.
"""
