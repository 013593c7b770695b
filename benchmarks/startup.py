"""Start-up benchmark: ChapterDesk on a large demo database vs. a bare PySide6 window.

Builds a demo database in a temporary folder (``chapterdesk demo --people N``), then starts
``python -m chapterdesk --data-dir TMP --exit-when-ready`` and ``python bare_window.py``
alternately, timing each from just before ``subprocess.Popen`` until its ``READY`` line is read
from stdout. Prints median/min/max for both and their ratio.

Run from the project root::

    uv run python benchmarks/startup.py                  # 100,000 people, 7 runs each
    uv run python benchmarks/startup.py --runs 5 --profile
    uv run python benchmarks/startup.py --with-secret-service   # measure the encrypted store

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from chapterdesk.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD
from secret_service import add_secret_service_option, rerun_if_asked

HERE = Path(__file__).resolve().parent
BARE_WINDOW = HERE / "bare_window.py"
AIM_RATIO = 2.0
AIM_SECONDS = 1.5


class BenchmarkError(Exception):
    """A child did not behave; the message says which and includes its output."""


@dataclass(frozen=True)
class Sample:
    """One timed start: wall time seen by the benchmark and the time the child reported."""

    wall: float
    reported: float | None
    shown: float  # wall time until the window was up and idle (SHOWN line; bare: = wall)


@dataclass(frozen=True)
class Program:
    """A program to time: its label and command line."""

    label: str
    argv: list[str]
    stdin: str = ""  # e.g. the password for --sign-in, which never goes on the command line


# ----------------------------------------------------------------------------- running


def _pump(stream: IO[bytes], lines: queue.Queue[tuple[float, bytes] | None]) -> None:
    """Hand each stdout line to the main thread with the moment it was read."""
    for line in iter(stream.readline, b""):
        lines.put((time.perf_counter(), line))
    lines.put(None)


def _tail(path: Path, limit: int = 4000) -> str:
    """The end of a text file, at most ``limit`` characters."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return text if len(text) <= limit else "…" + text[-limit:]


def time_start(program: Program, env: dict[str, str], timeout: float, scratch: Path) -> Sample:
    """Start ``program`` once; return the time until its READY line arrived."""
    err_path = scratch / "child-stderr.txt"
    with err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            program.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env
        )
        assert proc.stdout is not None and proc.stdin is not None
        proc.stdin.write(program.stdin.encode())
        proc.stdin.close()
        lines: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
        reader.start()
        deadline = started + timeout
        ready_at: float | None = None
        shown_at: float | None = None
        reported: float | None = None
        seen: list[str] = []
        try:
            while ready_at is None:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise BenchmarkError(f"{program.label}: no READY line within {timeout:.0f} s")
                try:
                    item = lines.get(timeout=remaining)
                except queue.Empty:
                    continue
                if item is None:
                    try:
                        code: int | None = proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        code = None
                    raise BenchmarkError(
                        f"{program.label}: closed stdout (exit code {code}) before printing READY"
                    )
                at, raw = item
                line = raw.decode("utf-8", errors="replace").strip()
                if line.startswith("SHOWN"):
                    shown_at = at
                elif line.startswith("READY"):
                    ready_at = at
                    parts = line.split()
                    reported = float(parts[1]) if len(parts) > 1 else None
                else:
                    seen.append(line)
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise BenchmarkError(
                    f"{program.label}: printed READY but did not quit within {timeout:.0f} s"
                ) from exc
            if code != 0:
                raise BenchmarkError(f"{program.label}: printed READY but exited with code {code}")
        except BenchmarkError as exc:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            err.flush()
            stdout = "\n".join(seen) or "(nothing)"
            raise BenchmarkError(
                f"{exc}\ncommand: {' '.join(program.argv)}\n--- stdout ---\n{stdout}\n"
                f"--- stderr ---\n{_tail(err_path) or '(nothing)'}"
            ) from None
        finally:
            reader.join(timeout=5)
    return Sample(ready_at - started, reported, (shown_at or ready_at) - started)


def child_env(platform: str, scratch: Path, bytecode_cache: bool) -> dict[str, str]:
    """The children's environment: chosen Qt platform, throw-away config and state folders.

    With ``bytecode_cache`` the children may write ``.pyc`` files, into a private
    ``PYTHONPYCACHEPREFIX`` (not into the venv), so timed runs import compiled bytecode like an
    installed app does; without it, every start compiles every module from source.
    """
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = platform
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folder = scratch / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    env.pop("CHAPTERDESK_DATA_DIR", None)
    env["PYTHONUNBUFFERED"] = "1"
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "no-pycache")  # ignore existing .pyc too
    return env


def remember_page(env: dict[str, str], page: str) -> None:
    """Make the app open on ``page``, as if the user had left it there (QSettings ini file)."""
    conf = Path(env["XDG_CONFIG_HOME"], "ChapterDesk", "ChapterDesk.conf")
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(f"[window]\npage={page}\n", encoding="utf-8")


def generate(people: int, data_dir: Path, env: dict[str, str], timeout: float) -> float:
    """Run ``chapterdesk demo`` once; returns how long it took."""
    argv = [
        sys.executable,
        "-m",
        "chapterdesk",
        "demo",
        "--people",
        str(people),
        "--data-dir",
        str(data_dir),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"demo generation did not finish within {timeout:.0f} s") from exc
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchmarkError(
            f"demo generation failed with code {done.returncode}\ncommand: {' '.join(argv)}\n"
            f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
        )
    for line in done.stdout.splitlines():
        print(f"  {line}")
    return elapsed


# ---------------------------------------------------------------------------- reporting


def describe_store(data_dir: Path) -> tuple[str, bool]:
    """``key_mode`` from store.json, and whether that means the database is encrypted."""
    try:
        mode = str(json.loads((data_dir / "store.json").read_text(encoding="utf-8"))["key_mode"])
    except (OSError, ValueError, KeyError) as exc:
        return f"unknown ({exc})", False
    return mode, mode != "none"


def describe_keyring() -> str:
    """The keyring backend the children will see, and whether it is usable."""
    from chapterdesk.store.keys import keyring_status

    status = keyring_status()
    return str(status.backend) + ("" if status.usable else f" — not usable: {status.reason}")


def forget_demo_key(data_dir: Path) -> None:
    """Remove the demo's key from the keyring (only matters with a real keyring)."""
    from chapterdesk.paths import DataPaths
    from chapterdesk.store.database import forget_store

    try:
        forget_store(DataPaths(data_dir))
    except Exception as exc:  # best effort: the data folder is deleted anyway
        print(f"note: could not remove the demo key from the keyring: {exc}")


def print_table(rows: list[tuple[str, list[float]]]) -> None:
    """Median, min and max seconds per labelled series."""
    width = max(len(label) for label, _ in rows)
    print(f"  {'':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}  runs")
    for label, values in rows:
        print(
            f"  {label:<{width}}  {statistics.median(values):>7.3f}s  {min(values):>7.3f}s  "
            f"{max(values):>7.3f}s  {len(values)}"
        )


def measure(
    app: Program, bare: Program, runs: int, env: dict[str, str], timeout: float, scratch: Path
) -> tuple[list[Sample], list[Sample]]:
    """One warm-up start of each, then ``runs`` alternating timed starts of each."""
    print("warm-up (not counted) …", flush=True)
    for program in (app, bare):
        sample = time_start(program, env, timeout, scratch)
        print(f"  {program.label}: {sample.wall:.3f} s")
    app_samples: list[Sample] = []
    bare_samples: list[Sample] = []
    for run in range(1, runs + 1):
        a = time_start(app, env, timeout, scratch)
        b = time_start(bare, env, timeout, scratch)
        app_samples.append(a)
        bare_samples.append(b)
        print(
            f"  run {run}/{runs}: app window {a.shown:.3f} s, data {a.wall:.3f} s "
            f"(reported {a.reported or 0:.3f} s), bare {b.wall:.3f} s",
            flush=True,
        )
    return app_samples, bare_samples


def report(app_samples: list[Sample], bare_samples: list[Sample], people: int) -> None:
    """Print the table, the ratio of the medians against the aim, and the self-reported time."""
    app_wall = [s.wall for s in app_samples]
    app_shown = [s.shown for s in app_samples]
    bare_wall = [s.wall for s in bare_samples]
    print()
    print_table(
        [
            (f"app window up ({people:,} people)", app_shown),
            (f"app data on screen ({people:,})", app_wall),
            ("bare PySide6 window", bare_wall),
        ]
    )
    bare_median = statistics.median(bare_wall)
    shown_median = statistics.median(app_shown)
    print()
    print(
        f"window shown and idle, median: app {shown_median:.3f} s vs bare PySide6 window "
        f"{bare_median:.3f} s → ratio {shown_median / bare_median:.2f}×"
    )
    app_median = statistics.median(app_wall)
    ratio = app_median / bare_median
    reported = [s.reported for s in app_samples if s.reported is not None]
    print(
        f"chapter data on screen, median: app {app_median:.3f} s vs bare PySide6 window "
        f"{bare_median:.3f} s → ratio {ratio:.2f}× (aim: ≤ {AIM_RATIO:g}× and < {AIM_SECONDS:g} s)"
    )
    met = ratio <= AIM_RATIO and app_median < AIM_SECONDS
    print(
        f"aim {'met' if met else 'NOT met'}"
        + ("" if met else f": ratio {ratio:.2f}× / {app_median:.3f} s")
    )
    if reported:
        print(
            f"app-reported ready time (from run_gui() to ready, excludes interpreter start and "
            f"module imports), median: {statistics.median(reported):.3f} s"
        )


def report_store(encrypted: bool, key_mode: str, keyring: str) -> None:
    """Say plainly whether the measured database was encrypted."""
    if encrypted:
        print(f"database: ENCRYPTED (SQLCipher, key_mode={key_mode}); keyring backend: {keyring}")
    else:
        print(
            f"database: NOT encrypted — measured the unencrypted demo fallback "
            f"(key_mode={key_mode}); keyring backend: {keyring}"
        )


# ---------------------------------------------------------------------------- profiling


@dataclass(frozen=True)
class ImportTime:
    """One ``-X importtime`` line (microseconds)."""

    self_us: int
    cumulative_us: int
    name: str


def parse_importtime(stderr: str) -> list[ImportTime]:
    """The ``import time:`` lines of a ``-X importtime`` stderr, in order."""
    rows: list[ImportTime] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line[len("import time:") :].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue
        rows.append(ImportTime(int(fields[0]), int(fields[1]), fields[2].rstrip()))
    return rows


def run_importtime(
    argv: list[str], env: dict[str, str], timeout: float, stdin: str = ""
) -> list[ImportTime]:
    """Run ``argv`` (a Python command) under ``-X importtime``; return its import timings."""
    full = [argv[0], "-X", "importtime", *argv[1:]]
    try:
        done = subprocess.run(
            full,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"profiling run did not finish within {timeout:.0f} s") from exc
    rows = parse_importtime(done.stderr)
    if done.returncode != 0 or "READY" not in done.stdout:
        other = "\n".join(ln for ln in done.stderr.splitlines() if not ln.startswith("import time"))
        raise BenchmarkError(f"profiling run failed (code {done.returncode})\n{other}")
    return rows


def profile(
    app: Program, bare: Program, env: dict[str, str], timeout: float, top: int = 15
) -> None:
    """Print the slowest imports of one app start, and total import time of both programs."""
    app_rows = run_importtime(app.argv, env, timeout, app.stdin)
    bare_rows = run_importtime(bare.argv, env, timeout)
    app_total = sum(r.self_us for r in app_rows) / 1e6
    bare_total = sum(r.self_us for r in bare_rows) / 1e6
    print()
    print(
        f"imports (python -X importtime, one run): app {app_total:.3f} s in {len(app_rows)} "
        f"modules vs bare window {bare_total:.3f} s in {len(bare_rows)} modules"
    )
    print(f"{top} slowest imports of the app (cumulative, nested names are indented):")
    print(f"  {'cumulative':>10}  {'self':>8}  module")
    for row in sorted(app_rows, key=lambda r: r.cumulative_us, reverse=True)[:top]:
        print(f"  {row.cumulative_us / 1000:>8.1f}ms  {row.self_us / 1000:>6.1f}ms  {row.name}")
    bare_names = {r.name.strip() for r in bare_rows}
    extra = [r for r in app_rows if r.name.strip() not in bare_names]
    extra_total = sum(r.self_us for r in extra) / 1e6
    print(
        f"modules the bare window does not import: {len(extra)}, {extra_total:.3f} s self time;"
        f" top-level ones by cumulative time:"
    )
    roots = [r for r in extra if not r.name.startswith("  ")]
    for row in sorted(roots, key=lambda r: r.cumulative_us, reverse=True)[:10]:
        print(f"  {row.cumulative_us / 1000:>8.1f}ms  {row.name.strip()}")


# --------------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Median start-up time of ChapterDesk on a demo database vs. a bare PySide6 "
        "window."
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="people in the demo database (default 100000)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=7,
        help="timed starts of each program, after one warm-up each (default 7; "
        "0 with --profile profiles only)",
    )
    parser.add_argument(
        "--platform",
        default="offscreen",
        help="QT_QPA_PLATFORM for the children (default offscreen; e.g. xcb under Xvfb)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds each start may take before it counts as failed",
    )
    parser.add_argument(
        "--generate-timeout",
        type=float,
        default=1800.0,
        help="seconds the demo generation may take",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also run the app once under python -X importtime and list the slowest imports",
    )
    parser.add_argument(
        "--page",
        choices=("meetings", "people"),
        default="meetings",
        help="page the app opens on, as remembered from the last session (default meetings, "
        "as for a new user; people loads the whole roster of the first chapter)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="make every start compile all Python modules from source (a first start after an "
        "install without .pyc files); by default the children cache bytecode in a private folder",
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        metavar="EXE",
        help="also time the built bundle's binary (dist/ChapterDesk/chapterdesk, "
        "packaging/build.py) against starting from source, on the same demo",
    )
    add_secret_service_option(parser)
    return parser.parse_args(argv)


def compare_bundle(
    bundle: Program, source: Program, runs: int, env: dict[str, str], timeout: float, scratch: Path
) -> None:
    """The installed app (the frozen bundle) next to ``uv run chapterdesk``, alternating."""
    print(f"\nbundle vs source, {runs} alternating starts each (one warm-up each) …", flush=True)
    for program in (bundle, source):
        time_start(program, env, timeout, scratch)
    frozen: list[Sample] = []
    from_source: list[Sample] = []
    for _run in range(runs):
        frozen.append(time_start(bundle, env, timeout, scratch))
        from_source.append(time_start(source, env, timeout, scratch))
    print_table(
        [
            ("bundle: window up", [s.shown for s in frozen]),
            ("bundle: data on screen", [s.wall for s in frozen]),
            ("source: window up", [s.shown for s in from_source]),
            ("source: data on screen", [s.wall for s in from_source]),
        ]
    )
    a = statistics.median(s.wall for s in frozen)
    b = statistics.median(s.wall for s in from_source)
    print(f"data on screen, median: bundle {a:.3f} s vs source {b:.3f} s → ratio {a / b:.2f}×")


def main(argv: list[str] | None = None) -> int:
    """Build the demo, time both programs, report; returns the exit code."""
    raw = sys.argv[1:] if argv is None else argv
    args = parse_args(raw)
    rerun = rerun_if_asked(Path(__file__), args, raw)
    if rerun is not None:
        return rerun
    if importlib.util.find_spec("chapterdesk") is None:
        print(
            "chapterdesk is not importable: run this with the project's environment, e.g. "
            "`uv run python benchmarks/startup.py`.",
            file=sys.stderr,
        )
        return 2
    if args.runs < 0 or (args.runs == 0 and not args.profile):
        print("--runs must be at least 1 (or 0 together with --profile).", file=sys.stderr)
        return 2

    keyring = describe_keyring()
    if args.inside_secret_service:
        print(f"inside a private D-Bus session with GNOME Keyring; keyring backend: {keyring}")

    with tempfile.TemporaryDirectory(prefix="chapterdesk-bench-") as tmp:
        scratch = Path(tmp)
        data_dir = scratch / "data"
        env = child_env(args.platform, scratch, not args.no_bytecode_cache)
        remember_page(env, args.page)
        # The app opens locked (ROS-5): it signs in as the demo's leader, password on stdin,
        # so READY still means "chapter data on screen".
        app = Program(
            "app",
            [
                sys.executable,
                "-m",
                "chapterdesk",
                "--data-dir",
                str(data_dir),
                "--exit-when-ready",
                "--sign-in",
                DEMO_ACCOUNTS[0][0],
            ],
            stdin=DEMO_PASSWORD + "\n",
        )
        bare = Program("bare", [sys.executable, str(BARE_WINDOW)])
        try:
            print(f"generating a demo with {args.people:,} people in {data_dir} …", flush=True)
            took = generate(args.people, data_dir, env, args.generate_timeout)
            print(f"demo generation took {took:.1f} s")
            key_mode, encrypted = describe_store(data_dir)
            print(f"app opens on the {args.page} page")
            print(
                f"Qt platform: {args.platform}; Python {sys.version.split()[0]}; bytecode: "
                + (
                    "compiled from source on every start (--no-bytecode-cache)"
                    if args.no_bytecode_cache
                    else "cached .pyc in a private PYTHONPYCACHEPREFIX (written by the warm-up)"
                )
            )
            if args.runs:
                app_samples, bare_samples = measure(
                    app, bare, args.runs, env, args.timeout, scratch
                )
                report(app_samples, bare_samples, args.people)
            if args.bundle and args.runs:
                frozen = Program("bundle", [str(args.bundle.resolve()), *app.argv[3:]], app.stdin)
                compare_bundle(frozen, app, args.runs, env, args.timeout, scratch)
            if args.profile:
                if not args.runs:  # warm the disk cache so the profile is not a cold start
                    for program in (app, bare):
                        time_start(program, env, args.timeout, scratch)
                profile(app, bare, env, args.timeout)
            report_store(encrypted, key_mode, keyring)
        except BenchmarkError as exc:
            print(f"\nbenchmark failed: {exc}", file=sys.stderr)
            return 1
        finally:
            if data_dir.exists():
                forget_demo_key(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
