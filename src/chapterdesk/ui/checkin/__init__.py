"""The check-in desk at the venue door (search, scans, ESC-3, walk-ins)."""
