"""The bundle's entry point: what ``chapterdesk`` runs from source, run from the frozen app."""

import sys

from chapterdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
