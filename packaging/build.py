"""Build ChapterDesk's desktop bundle on the machine's own platform.

    uv run --group bundle python packaging/build.py            # dist/ChapterDesk/ + archive
    uv run --group bundle python packaging/build.py --smoke    # … then start the built binary

One PyInstaller spec (``packaging/chapterdesk.spec``, one folder) for every platform; then
Linux gets a tarball with the .desktop file, icons and AppStream metadata, macOS an .app (and a
.dmg when ``hdiutil`` is there), Windows an installer when Inno Setup's ``iscc`` is on PATH
(``packaging/windows/chapterdesk.iss``). ``--smoke`` starts the built binary offscreen on a
throw-away demo and checks a deck through it, so a missing module or data file fails here and
in CI; the bundle's size is printed and written to ``dist/bundle-size.txt``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "ChapterDesk"
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "src" / "chapterdesk" / "resources" / "icons"
# The Linux bundle measured 265 MB (issue 9). A bundle that grows past this budget fails the
# build: a new dependency pulling in half of Qt should be a decision, not an accident.
SIZE_BUDGET_MB = 320


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "src" / "chapterdesk" / "__init__.py").read_text("utf-8"), namespace)
    return namespace["__version__"]


def pyinstaller() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(PACKAGING / "chapterdesk.spec"),
        ],
        check=True,
        cwd=ROOT,
    )


def binary() -> Path:
    if sys.platform == "win32":
        return BUNDLE / "chapterdesk.exe"
    return BUNDLE / "chapterdesk"


def size_of(folder: Path) -> int:
    """Bytes on disk, each file once (the bundle links library names to one another)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def linux_archive() -> Path:
    """dist/ChapterDesk-<version>-linux-<arch>.tar.gz: the folder, its .desktop file, icons in
    hicolor sizes and the AppStream metadata, laid out to unpack under ~/.local or /opt."""
    name = f"ChapterDesk-{version()}-linux-{platform.machine()}"
    out = DIST / f"{name}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(BUNDLE, arcname=f"{name}/ChapterDesk")
        tar.add(PACKAGING / "linux" / "chapterdesk.desktop", arcname=f"{name}/chapterdesk.desktop")
        tar.add(
            PACKAGING / "linux" / "io.github.chapterdesk.ChapterDesk.metainfo.xml",
            arcname=f"{name}/io.github.chapterdesk.ChapterDesk.metainfo.xml",
        )
        tar.add(PACKAGING / "linux" / "install.sh", arcname=f"{name}/install.sh")
        for png in sorted(ICONS.glob("chapterdesk-*.png")):
            size = png.stem.split("-")[1]
            tar.add(png, arcname=f"{name}/icons/hicolor/{size}x{size}/apps/chapterdesk.png")
        tar.add(
            ICONS / "chapterdesk.svg", arcname=f"{name}/icons/hicolor/scalable/apps/chapterdesk.svg"
        )
    return out


def windows_installer() -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("Inno Setup's iscc is not on PATH: the folder is built, the installer is not")
        return None
    subprocess.run(
        [iscc, f"/DAppVersion={version()}", str(PACKAGING / "windows" / "chapterdesk.iss")],
        check=True,
    )
    return DIST / f"ChapterDesk-{version()}-setup.exe"


def macos_dmg() -> Path | None:
    app = DIST / "ChapterDesk.app"
    if shutil.which("hdiutil") is None or not app.exists():
        return None
    out = DIST / f"ChapterDesk-{version()}.dmg"
    subprocess.run(
        [
            "hdiutil",
            "create",
            "-volname",
            "ChapterDesk",
            "-srcfolder",
            str(app),
            "-ov",
            "-format",
            "UDZO",
            str(out),
        ],
        check=True,
    )
    return out


def smoke() -> None:
    """The built binary, not the sources: a demo window that opens and closes offscreen, and
    the deck checker on a real-world deck from the corpus."""
    exe = binary()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "XDG_STATE_HOME": str(Path(tmp) / "state"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        done = subprocess.run(
            [str(exe), "--demo", "--people", "300", "--exit-when-ready"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0 or "READY" not in done.stdout:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
            raise SystemExit("smoke test: the bundled app did not open its demo window")
        print("smoke: demo window opened and closed:", " ".join(done.stdout.split()))
    corpus = sorted((ROOT.parent / "shared" / "corpus" / "pptx").glob("*.pptx"))
    if not corpus:
        print("smoke: no corpus deck beside the project; the deck check is skipped")
        return
    deck = corpus[0]
    done = subprocess.run(
        [str(exe), "deck", "check", str(deck), "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if done.returncode not in (0, 1) or not done.stdout.lstrip().startswith("{"):
        print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"smoke test: the bundled deck checker failed on {deck.name}")
    print(f"smoke: deck check through the bundle on {deck.name}: exit {done.returncode}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="start the built binary afterwards")
    parser.add_argument("--skip-build", action="store_true", help="smoke-test dist/ as it is")
    args = parser.parse_args()
    if not args.skip_build:
        pyinstaller()
        if sys.platform.startswith("linux"):
            print("archive:", linux_archive())
        elif sys.platform == "win32":
            print("installer:", windows_installer())
        elif sys.platform == "darwin":
            print("disk image:", macos_dmg())
    size = size_of(BUNDLE)
    line = f"bundle size: {size / 1e6:.1f} MB ({sys.platform}, {platform.machine()}, {version()})"
    print(line)
    (DIST / "bundle-size.txt").write_text(line + "\n", encoding="utf-8")
    if size / 1e6 > SIZE_BUDGET_MB:
        print(
            f"the bundle is over its budget of {SIZE_BUDGET_MB} MB: find what grew it "
            "(du -sh dist/ChapterDesk/_internal/* | sort -h), exclude it in "
            "packaging/chapterdesk.spec, or raise SIZE_BUDGET_MB in packaging/build.py on purpose",
            file=sys.stderr,
        )
        return 1
    if args.smoke:
        smoke()
    return 0


if __name__ == "__main__":
    sys.exit(main())
