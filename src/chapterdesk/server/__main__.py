"""``chapterdesk-server``: run the chapter server, or administer it (``admin …``)."""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_PORT = 8765


def default_database_url() -> str:
    import platformdirs

    folder = Path(platformdirs.user_data_dir("chapterdesk-server", "ChapterDesk"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.db'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chapterdesk-server", description=__doc__)
    parser.add_argument(
        "--database-url",
        help="postgresql+psycopg://… or sqlite:///… "
        "(default: a SQLite file in the user data folder)",
    )
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the server (the default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--database-url", dest="serve_database_url")
    serve.add_argument(
        "--demo", action="store_true", help="seed the demo chapters when the database is empty"
    )
    serve.add_argument("--demo-people", type=int, default=2000)
    serve.add_argument(
        "--retention-days",
        type=float,
        default=90.0,
        help="change-log and tombstone retention; a laptop offline longer re-syncs (410)",
    )
    admin = sub.add_parser("admin", help="communities, chapters, accounts and devices")
    admin.add_argument("--database-url", dest="admin_database_url")
    from chapterdesk.server.admin import add_admin_commands

    add_admin_commands(admin)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if not {"serve", "admin", "-h", "--help"} & set(args_in):
        args_in = ["serve", *args_in]  # `chapterdesk-server --port 9000` means serve
    args = _parser().parse_args(args_in)
    url = (
        getattr(args, "serve_database_url", None)
        or getattr(args, "admin_database_url", None)
        or args.database_url
        or default_database_url()
    )
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from chapterdesk.server.db import Database, migrate

    db = Database(url)
    try:
        migrate(db.engine)
    except Exception as exc:  # a wrong URL, a server down, a full disk
        print(
            f"chapterdesk-server: cannot open the database ({type(exc).__name__}: {exc}). "
            "Check --database-url and that the database server is running.",
            file=sys.stderr,
        )
        return 2
    if args.command == "admin":
        from chapterdesk.server.admin import run_admin

        return run_admin(db, args, getpass.getpass)
    if args.demo:
        from chapterdesk.server.seed import seed_demo

        print(seed_demo(db, args.demo_people), flush=True)
    from chapterdesk.server.admin import prune_older_than

    with db.session() as s:
        prune_older_than(s, args.retention_days)
    import uvicorn

    from chapterdesk.server.app import create_app

    app = create_app(db)
    # What start-up made (imports, the demo seed's leftovers) is never scanned again by the
    # cycle collector, so a full collection does not pause every request in flight.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
