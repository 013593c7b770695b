#!/bin/sh
# Install the unpacked tarball for this user (no root): the app under ~/.local/lib, a command
# in ~/.local/bin, the menu entry, icons and AppStream metadata under ~/.local/share.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo"
rm -rf "$prefix/lib/ChapterDesk"
cp -R "$here/ChapterDesk" "$prefix/lib/ChapterDesk"
ln -sf "$prefix/lib/ChapterDesk/chapterdesk" "$prefix/bin/chapterdesk"
sed "s|^Exec=chapterdesk|Exec=$prefix/bin/chapterdesk|" "$here/chapterdesk.desktop" \
  > "$prefix/share/applications/chapterdesk.desktop"
cp "$here/io.github.chapterdesk.ChapterDesk.metainfo.xml" "$prefix/share/metainfo/"
cp -R "$here/icons" "$prefix/share/"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/share/applications" || true
echo "ChapterDesk installed in $prefix: start it from the menu or with $prefix/bin/chapterdesk"
