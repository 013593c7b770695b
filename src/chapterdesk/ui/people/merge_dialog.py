"""Merge two roster entries that are one person: both side by side, a choice per field that
differs, and what the merge moves. Nothing is deleted; the merge can be undone for a while."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.services.merges import FIELD_WORDS, UNDO_WINDOW
from chapterdesk.services.roster_views import MergePreview
from chapterdesk.ui.common.widgets import PlainLabel


def _heading(text: str) -> QLabel:
    label = PlainLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class MergeDialog(QDialog):
    """``swap_requested`` asks the page for the preview the other way round (the other record
    survives); ``choices()`` is what :meth:`RosterDesk.merge` takes."""

    swap_requested = Signal()

    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge two people"))
        self.preview = preview
        self._groups: dict[str, QButtonGroup] = {}
        a, b = preview.survivor, preview.merged

        intro = PlainLabel(
            self.tr(
                "{a} and {b} look like one person. The merged person keeps the record on "
                "the left; for each detail that differs, choose the value to keep."
            ).format(a=a.detail.full_name, b=b.detail.full_name)
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.addWidget(_heading(self.tr("Detail")), 0, 0)
        grid.addWidget(_heading(self.tr("Keep: {name}").format(name=a.detail.full_name)), 0, 1)
        grid.addWidget(
            _heading(self.tr("Merge away: {name}").format(name=b.detail.full_name)), 0, 2
        )
        row = 1
        for name, mine, theirs, proposed in preview.fields:
            grid.addWidget(PlainLabel(self.tr(FIELD_WORDS[name])), row, 0)
            group = QButtonGroup(self)
            left = QRadioButton(mine or self.tr("(empty)"))
            right = QRadioButton(theirs or self.tr("(empty)"))
            left.setObjectName(f"keep_{name}_survivor")
            right.setObjectName(f"keep_{name}_merged")
            group.addButton(left, 0)
            group.addButton(right, 1)
            (right if proposed == "merged" else left).setChecked(True)
            grid.addWidget(left, row, 1)
            grid.addWidget(right, row, 2)
            self._groups[name] = group
            row += 1
        if not preview.fields:
            grid.addWidget(
                PlainLabel(self.tr("Every detail is the same in both records.")), row, 0, 1, 3
            )
            row += 1
        counts = PlainLabel(
            self.tr(
                "Registrations: {a_regs} and {b_regs}; check-in records: {a_in} and {b_in}."
            ).format(
                a_regs=a.registrations, b_regs=b.registrations, a_in=a.check_ins, b_in=b.check_ins
            )
        )
        effect = PlainLabel(self._effect_text())
        effect.setObjectName("mergeEffect")
        effect.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.swap_button = QPushButton(self.tr("&Keep the other record instead"))
        self.swap_button.setObjectName("swapMerge")
        self.swap_button.clicked.connect(self._swap)
        buttons.addButton(self.swap_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button = buttons.addButton(
            self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setObjectName("confirmMerge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(counts)
        layout.addWidget(effect)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)
        self.swapped = False

    def _effect_text(self) -> str:
        p = self.preview
        parts = [
            self.tr("{n} registration(s) move to the kept record.").format(n=p.moves),
        ]
        if p.duplicates:
            parts.append(
                self.tr(
                    "Both were registered for {n} meeting(s): the kept record's registration "
                    "stays, the other is cancelled and flagged, its check-ins kept."
                ).format(n=p.duplicates)
            )
        if p.carried_check_ins:
            parts.append(
                self.tr(
                    "{n} check-in(s) carried over with their original time, so no visit is lost."
                ).format(n=p.carried_check_ins)
            )
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        parts.append(
            self.tr("Nothing is deleted; you can undo the merge for {m} minutes.").format(m=minutes)
        )
        return " ".join(parts)

    def _swap(self) -> None:
        self.swapped = True
        self.swap_requested.emit()
        self.reject()

    def choices(self) -> dict[str, str]:
        return {
            name: "merged" if group.checkedId() == 1 else "survivor"
            for name, group in self._groups.items()
        }
