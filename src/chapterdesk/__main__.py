"""Command line: ``chapterdesk`` opens the app; ``chapterdesk demo`` builds demo data;
``chapterdesk deck check FILE`` checks a partner deck (no Qt, no database)."""

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
    # Benchmarks and screenshots sign in without typing: the password comes on standard input.
    parser.add_argument("--sign-in", metavar="LOGIN", help=argparse.SUPPRESS)
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
    _add_deck_parser(sub)
    return parser


def _add_deck_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``deck check``: defined here, run lazily, so the app's start never imports the checker."""
    deck = sub.add_parser("deck", help="partner slide decks")
    deck_sub = deck.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    check = deck_sub.add_parser(
        "check",
        help="check a deck against the chapter rules (DECK-1…4)",
        description="Check a PowerPoint deck against the chapter rules. Exit status: 0 no "
        "rule broken, 1 a rule is broken, 2 the file was refused.",
    )
    check.add_argument("file", metavar="FILE", help="the deck (.pptx, .pptm, .ppsx, .potx)")
    check.add_argument(
        "--template", metavar="T", help="the chapter template (default: the one shipped)"
    )
    check.add_argument("--company", metavar="NAME", help="the presenting company (DECK-2)")
    check.add_argument("--domain", metavar="DOMAIN", help="its website, e.g. contoso.com")
    check.add_argument(
        "--sponsor",
        action="store_true",
        help="the company is a Paid Annual Chapter Sponsor (PRT-5: own template allowed)",
    )
    check.add_argument(
        "--customers",
        metavar="FILE",
        help="customer organisations, one a line: 'Name', 'Name | registered' or "
        "'Name | checked in' (DECK-4)",
    )
    check.add_argument("--phrases", metavar="FILE", help="extra sales phrases (TOML)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="time limit (default 20 s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from chapterdesk.demo.cli import create_demo

        return create_demo(args.demo_dir, args.demo_people, args.seed)
    if args.command == "deck":
        from chapterdesk.decks.cli import deck_check

        return deck_check(args)
    from chapterdesk.app import GuiOptions, run_gui

    sign_in = (args.sign_in, sys.stdin.readline().rstrip("\n")) if args.sign_in else None
    return run_gui(
        GuiOptions(
            data_dir=args.data_dir,
            demo=args.demo,
            demo_people=args.people,
            exit_when_ready=args.exit_when_ready,
            verbose=args.verbose,
            sign_in=sign_in,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
