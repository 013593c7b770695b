"""The big verdict at the door: one glance tells the leader green (in), amber (look) or red (no).

Headline, detail, and for anything but green the rule and the fix on their own line (ESC-6).
Errors from the desk become red verdicts here, so a refusal never turns into a crash dialog.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from chapterdesk.domain.violations import NotFound, PermissionDenied, RuleViolation
from chapterdesk.services.views import Verdict, VerdictLevel
from chapterdesk.ui.common.widgets import PlainLabel

log = logging.getLogger(__name__)

ESCORT_FIRST_KEY = QKeySequence("F2")

# (background, border, text): white on strong colour, or dark text on a light tint; every pair
# keeps at least 4.5:1 contrast.
_STYLES: dict[str, tuple[str, str, str]] = {
    "idle": ("#f3f4f6", "#d1d5db", "#374151"),
    VerdictLevel.OK: ("#15803d", "#14532d", "#ffffff"),
    VerdictLevel.ATTENTION: ("#fef3c7", "#d97706", "#78350f"),
    VerdictLevel.REFUSED: ("#b91c1c", "#7f1d1d", "#ffffff"),
}
_SYMBOLS = {VerdictLevel.OK: "✔", VerdictLevel.ATTENTION: "⚠", VerdictLevel.REFUSED: "✖"}


def tr(text: str) -> str:
    return QCoreApplication.translate("CheckIn", text)


def verdict_for_error(exc: BaseException) -> Verdict:
    """What the desk raised, as a red verdict: refusals keep their rule and fix."""
    if isinstance(exc, RuleViolation):
        return Verdict(VerdictLevel.REFUSED, tr("Not done"), exc.message, exc.rule_id, exc.fix)
    if isinstance(exc, PermissionDenied):
        return Verdict(VerdictLevel.REFUSED, tr("Not allowed"), str(exc))
    if isinstance(exc, NotFound):
        return Verdict(
            VerdictLevel.REFUSED,
            tr("Not found"),
            str(exc),
            fix=tr("Refresh the list (F5) and try again."),
        )
    log.error("check-in desk call failed", exc_info=exc)
    return Verdict(
        VerdictLevel.REFUSED,
        tr("Something went wrong"),
        tr("{error}. The details were written to the log file; the data is unchanged.").format(
            error=exc
        ),
    )


class VerdictPanel(QFrame):
    """Shows one :class:`Verdict` at a time; ``escort_first`` asks the page to check the
    escort in and retry the partner (ESC-3)."""

    escort_first = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict: Verdict | None = None
        self._base_size = self.font().pointSizeF()
        self._compact = False

        self.headline = PlainLabel()
        self.headline.setObjectName("verdictHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.headline.setFont(font)

        self.detail = PlainLabel()
        self.detail.setObjectName("verdictDetail")
        self.detail.setWordWrap(True)
        font = self.detail.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.detail.setFont(font)

        self.rule = PlainLabel()
        self.rule.setObjectName("verdictRule")
        self.rule.setWordWrap(True)
        font = self.rule.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.rule.setFont(font)

        self.time = PlainLabel()
        self.time.setObjectName("verdictTime")
        self.time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

        self.escort_button = QPushButton()
        self.escort_button.setObjectName("escortFirst")
        self.escort_button.setAutoDefault(False)
        self.escort_button.clicked.connect(self.escort_first)
        self.escort_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.time, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.escort_button)
        buttons.addStretch(1)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addStretch(1)  # short verdicts sit in the middle of the reserved height
        layout.addLayout(top)
        layout.addWidget(self.detail)
        layout.addWidget(self.rule)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._reserve_height()
        self.clear()

    def set_compact(self, compact: bool) -> None:
        """Smaller headline on a narrow page, so the attendee list keeps some rows."""
        if compact == self._compact:
            return
        self._compact = compact
        font = self.headline.font()
        font.setPointSizeF(self._base_size * (1.6 if compact else 2.2))
        self.headline.setFont(font)
        self._reserve_height()

    def _reserve_height(self) -> None:
        """Room for headline, detail, rule line and the escort button: the list below does not
        jump up and down between a green and an amber verdict."""
        layout = self._layout
        margins = layout.contentsMargins()
        lines = sum(
            QFontMetrics(label.font()).lineSpacing()
            for label in (self.headline, self.detail, self.rule)
        )
        self.setMinimumHeight(
            margins.top()
            + margins.bottom()
            + lines
            + self.escort_button.sizeHint().height()
            + 3 * layout.spacing()
            + 2 * 3  # the border
        )

    def clear(self) -> None:
        """The ready state between people."""
        self.verdict = None
        self._paint("idle")
        self.headline.setText(self.tr("Ready: type a name or scan a code"))
        self.detail.setText(
            self.tr("Enter checks in the highlighted person; ↑ ↓ move the highlight.")
        )
        self.rule.clear()
        self.rule.hide()
        self.time.clear()
        self.escort_button.hide()
        self._announce()

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self._paint(verdict.level)
        self.headline.setText(f"{_SYMBOLS[verdict.level]}  {verdict.headline}")
        self.detail.setText(verdict.detail)
        self.detail.setVisible(bool(verdict.detail))
        rule_line = self._rule_line(verdict)
        self.rule.setText(rule_line)
        self.rule.setVisible(bool(rule_line))
        self.time.setText(datetime.now().strftime("%H:%M:%S"))
        escort = verdict.escort_to_check_in
        if escort is not None:
            self.escort_button.setText(
                self.tr("Check in {name} first  ({key})").format(
                    name=escort.full_name,
                    key=ESCORT_FIRST_KEY.toString(QKeySequence.SequenceFormat.NativeText),
                )
            )
        self.escort_button.setVisible(escort is not None)
        self._announce()

    def show_error(self, exc: BaseException) -> None:
        self.show_verdict(verdict_for_error(exc))

    def _rule_line(self, verdict: Verdict) -> str:
        if verdict.level is VerdictLevel.OK:
            return ""
        if verdict.rule_id and verdict.fix:
            return f"{verdict.rule_id} — {verdict.fix}"
        return verdict.rule_id or verdict.fix

    def _paint(self, level: str) -> None:
        background, border, text = _STYLES[level]
        self.setProperty("level", level)
        self.setStyleSheet(
            f"QFrame#verdictPanel {{ background: {background}; border: 3px solid {border};"
            f" border-radius: 8px; }}"
            f" QFrame#verdictPanel QLabel {{ color: {text}; background: transparent;"
            f" border: none; }}"
        )

    def _announce(self) -> None:
        """Screen readers read the headline; the rest is the description."""
        self.setAccessibleName(self.headline.text())
        self.setAccessibleDescription(
            " ".join(t for t in (self.detail.text(), self.rule.text()) if t)
        )
