"""Use cases. Every function takes a ``Session`` and an ``Actor``, checks permissions, and
returns plain dataclasses (never ORM objects), so the UI and the server can share them."""
