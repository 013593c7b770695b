"""The chapter rules of ``docs/rules.md`` as plain Python: no Qt, no SQLAlchemy, no network."""
