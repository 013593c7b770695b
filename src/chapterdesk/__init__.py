"""ChapterDesk: the desk chapter leaders run their meetings from."""

__version__ = "0.1.0"
