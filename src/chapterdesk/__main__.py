"""Command line: ``chapterdesk`` opens the app; ``chapterdesk demo`` builds demo data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chapterdesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chapterdesk",
        description="ChapterDesk — meetings, check-in, partner decks and rosters for "
        "user-group chapters.",
    )
    parser.add_argument("--version", action="version", version=f"ChapterDesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder holding the database (default: $CHAPTERDESK_DATA_DIR, "
        "else the platform's user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on a generated demo chapter in a throw-away folder "
        "(kept if --data-dir is given)",
    )
    parser.add_argument(
        "--people", type=int, default=5000, metavar="N", help="people in the demo (default 5000)"
    )
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="create a demo database without opening the window")
    demo.add_argument(
        "--data-dir",
        metavar="DIR",
        required=True,
        dest="demo_dir",
        help="an empty folder to create the demo database in",
    )
    demo.add_argument("--people", type=int, default=5000, metavar="N", dest="demo_people")
    demo.add_argument("--seed", type=int, default=2026)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from chapterdesk.demo.cli import create_demo

        return create_demo(args.demo_dir, args.demo_people, args.seed)
    from chapterdesk.app import GuiOptions, run_gui

    return run_gui(
        GuiOptions(
            data_dir=args.data_dir,
            demo=args.demo,
            demo_people=args.people,
            exit_when_ready=args.exit_when_ready,
            verbose=args.verbose,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
