"""Render ChapterDesk's icon set from ``resources/icons/chapterdesk.svg``: PNGs at the usual
sizes (Linux hicolor theme, window icon), ``chapterdesk.ico`` (Windows) and
``chapterdesk.icns`` (macOS), with Qt's own SVG renderer and image writers.

Run ``uv run python packaging/make_icons.py`` after changing the SVG, and commit the results.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "src" / "chapterdesk" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    svg.render(painter)
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"could not write {path}: {writer.errorString()}")


def main() -> int:
    QGuiApplication(sys.argv)
    svg = QSvgRenderer(str(ICONS / "chapterdesk.svg"))
    if not svg.isValid():
        raise SystemExit("the SVG could not be read")
    for size in SIZES:
        write(render(svg, size), ICONS / f"chapterdesk-{size}.png", "png")
    write(render(svg, 256), ICONS / "chapterdesk.ico", "ico")
    write(render(svg, 1024), ICONS / "chapterdesk.icns", "icns")
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
