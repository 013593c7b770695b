"""Partners page: Community Partner companies, applications with the committee's checklist
and their PRT-3 steps, conduct incidents (CND-1) and the contributions ledger (PRT-7).

The page holds plain rows from ``Desk.partners.overview``; every change goes through a desk
call in a worker, and a refusal comes back with its rule and fix (shown by the window).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chapterdesk.domain.enums import (
    ApplicationStatus,
    BenefitKind,
    ContributionKind,
    PartnerKind,
)
from chapterdesk.domain.partners import EXCLUDED_WORDS, NEEDS_REASON, STATUS_WORDS
from chapterdesk.ui.common.forms import (
    DeskRun,
    FormDialog,
    day_of,
    fill_table,
    new_table,
    selected_key,
)
from chapterdesk.ui.common.widgets import PlainLabel, page_title

if TYPE_CHECKING:
    from chapterdesk.services.desk import Desk
    from chapterdesk.services.partner_desk import PartnersOverview
    from chapterdesk.services.partner_views import ApplicationView

KIND_WORDS = {PartnerKind.IMPLEMENTATION: "Implementation", PartnerKind.ISV: "ISV"}
CONTRIBUTION_WORDS = {
    ContributionKind.PRESENTATION: "Presentation",
    ContributionKind.SPONSORSHIP: "Sponsorship",
    ContributionKind.DOOR_PRIZE: "Door prize",
    ContributionKind.SPEAKER: "Speaker brought in",
    ContributionKind.OTHER: "Other help",
}
BENEFIT_WORDS = {
    BenefitKind.SHOWCASE_WEBINAR: "Partner Showcase webinar",
    BenefitKind.ASSOCIATE_INVITED: "Associate at a member-wide event",
    BenefitKind.SPONSORSHIP_OPTION: "First option on a sponsorship",
    BenefitKind.DIRECTORY_ENTRY: "Directory entry",
}
STEP_WORDS = {
    ApplicationStatus.UNDER_REVIEW: "Start committee review",
    ApplicationStatus.INFORMATION_REQUESTED: "Request information…",
    ApplicationStatus.APPROVED: "Approve",
    ApplicationStatus.REJECTED: "Reject…",
    ApplicationStatus.ADMITTED: "Admit",
    ApplicationStatus.REVOKED: "Revoke for cause…",
}


class PartnersPage(QWidget):
    changed = Signal()  # data written: other pages may be stale
    notice = Signal(str)  # for the status bar
    loaded = Signal()  # an overview arrived (tests)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._call: DeskRun | None = None
        self._chapter_id: str | None = None
        self.overview: PartnersOverview | None = None

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setPrefix(self.tr("Year "))
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.report_button = QPushButton(self.tr("Contributions &report…"))
        self.report_button.setToolTip(
            self.tr("The year's contributions per partner, ranked, as a PDF (PRT-7)")
        )
        self.report_button.clicked.connect(self.write_report)
        self.directory_button = QPushButton(self.tr("Partner &directory…"))
        self.directory_button.setToolTip(
            self.tr("Admitted partners with kind and public contact, as a PDF (PRT-4)")
        )
        self.directory_button.clicked.connect(self.write_directory)
        top = QHBoxLayout()
        top.addWidget(page_title(self.tr("Partners")))
        top.addStretch(1)
        top.addWidget(self.year)
        top.addWidget(self.report_button)
        top.addWidget(self.directory_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._companies_tab(), self.tr("Companies"))
        self.tabs.addTab(self._applications_tab(), self.tr("Applications"))
        self.tabs.addTab(self._conduct_tab(), self.tr("Conduct"))
        self.tabs.addTab(self._contributions_tab(), self.tr("Contributions"))
        self.tabs.addTab(self._benefits_tab(), self.tr("Benefits"))
        self.status = PlainLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    # ------------------------------------------------------------------ tabs
    def _companies_tab(self) -> QWidget:
        self.companies = new_table(
            [
                self.tr("Company"),
                self.tr("Kind"),
                self.tr("Programme"),
                self.tr("Certifications"),
                self.tr("Consultants"),
                self.tr("Implementations"),
                self.tr("Sponsor (PRT-5)"),
                self.tr("Code of Conduct"),
                self.tr("Open incidents"),
                self.tr("Representatives"),
            ]
        )
        self.companies.setObjectName("partnerCompanies")
        self.apply_button = QPushButton(self.tr("&New application…"))
        self.apply_button.clicked.connect(self.new_application)
        self.conduct_button = QPushButton(self.tr("Code of Conduct &signed…"))
        self.conduct_button.clicked.connect(self.code_of_conduct_signed)
        profile = QPushButton(self.tr("Pro&file…"))
        profile.setToolTip(
            self.tr(
                "Kind, certifications, certified consultants, sponsor year (PRT-1, PRT-2, PRT-5)"
            )
        )
        profile.clicked.connect(self.edit_profile)
        reference = QPushButton(self.tr("Add a &reference…"))
        reference.setToolTip(self.tr("A documented implementation at a customer (PRT-1, PRT-2)"))
        reference.clicked.connect(self.add_reference)
        bar = QHBoxLayout()
        bar.addWidget(profile)
        bar.addWidget(reference)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.conduct_button)
        bar.addStretch(1)
        return self._with(self.companies, bar)

    def _applications_tab(self) -> QWidget:
        self.applications = QListWidget()
        self.applications.setObjectName("partnerApplications")
        self.applications.currentRowChanged.connect(lambda _r: self._show_application())
        self.app_title = PlainLabel()
        font = self.app_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.app_title.setFont(font)
        self.app_facts = PlainLabel()
        self.app_facts.setWordWrap(True)
        self.checklist = QListWidget()
        self.checklist.setObjectName("applicationChecklist")
        self.history = QListWidget()
        self.history.setObjectName("applicationHistory")
        self.steps = QHBoxLayout()
        self.fee_button = QPushButton(self.tr("Fee &paid…"))
        self.fee_button.clicked.connect(self.fee_paid)
        detail = QWidget()
        right = QVBoxLayout(detail)
        right.addWidget(self.app_title)
        right.addWidget(self.app_facts)
        right.addWidget(PlainLabel(self.tr("Committee checklist (PRT-1 / PRT-2)")))
        right.addWidget(self.checklist, 2)
        right.addWidget(PlainLabel(self.tr("History (PRT-3): who, when and why")))
        right.addWidget(self.history, 2)
        right.addLayout(self.steps)
        split = QSplitter()
        split.addWidget(self.applications)
        split.addWidget(detail)
        split.setSizes([280, 720])
        return self._with(split, None)

    def _conduct_tab(self) -> QWidget:
        self.incidents = new_table(
            [
                self.tr("Date"),
                self.tr("Company"),
                self.tr("Meeting"),
                self.tr("Reported by"),
                self.tr("Rule"),
                self.tr("Status"),
                self.tr("What happened"),
                self.tr("Outcome"),
            ]
        )
        self.incidents.setObjectName("conductIncidents")
        report = QPushButton(self.tr("Report an &incident…"))
        report.clicked.connect(self.report_incident)
        review = QPushButton(self.tr("Re&view…"))
        review.clicked.connect(self.review_incident)
        bar = QHBoxLayout()
        bar.addWidget(report)
        bar.addWidget(review)
        bar.addWidget(
            PlainLabel(self.tr("A revoked partner can register for nothing (PRT-3, CND-1)."))
        )
        bar.addStretch(1)
        return self._with(self.incidents, bar)

    def _contributions_tab(self) -> QWidget:
        self.scores = new_table(
            [
                self.tr("Rank"),
                self.tr("Partner"),
                self.tr("Points"),
                *(CONTRIBUTION_WORDS[k] for k in ContributionKind),
            ]
        )
        self.scores.setObjectName("contributionScores")
        record = QPushButton(self.tr("Record a &contribution…"))
        record.clicked.connect(self.record_contribution)
        points = QPushButton(self.tr("P&oints…"))
        points.setToolTip(self.tr("Points per kind of contribution for this chapter (PRT-7)"))
        points.clicked.connect(self.edit_points)
        one = QPushButton(self.tr("Partner's re&port…"))
        one.setToolTip(self.tr("The selected partner's contributions this year, as a PDF"))
        one.clicked.connect(self.write_partner_report)
        self.points_label = PlainLabel()
        self.points_label.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(record)
        bar.addWidget(points)
        bar.addWidget(one)
        bar.addWidget(self.points_label, 1)
        return self._with(self.scores, bar)

    def _benefits_tab(self) -> QWidget:
        self.benefits = new_table(
            [self.tr("Partner"), self.tr("Benefit"), self.tr("Date"), self.tr("Note")]
        )
        self.benefits.setObjectName("partnerBenefits")
        record = QPushButton(self.tr("Record a &benefit…"))
        record.clicked.connect(self.record_benefit)
        bar = QHBoxLayout()
        bar.addWidget(record)
        bar.addWidget(
            PlainLabel(
                self.tr(
                    "Each admitted partner a year: a Partner Showcase webinar, up to two "
                    "associates at member-wide events, first option on sponsorships, a "
                    "directory entry (PRT-4)."
                )
            ),
            1,
        )
        return self._with(self.benefits, bar)

    @staticmethod
    def _with(main: QWidget, bar: QHBoxLayout | None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if bar is not None:
            layout.addLayout(bar)
        layout.addWidget(main, 1)
        return page

    # ------------------------------------------------------------------ data
    def bind(self, call: DeskRun, chapter_id: str | None) -> None:
        self._call = call
        self._chapter_id = chapter_id
        self.reload()

    def reload(self) -> None:
        call, chapter, year = self._call, self._chapter_id, self.year.value()
        if call is None or chapter is None:
            return
        call(lambda d: d.partners.overview(chapter, year), self.set_overview)

    def set_overview(self, overview: PartnersOverview) -> None:
        if overview.chapter_id != self._chapter_id:
            return  # the chapter changed while it loaded
        self.overview = overview
        fill_table(
            self.companies,
            [
                [
                    c.name,
                    KIND_WORDS[c.kind] if c.kind else "—",
                    self.tr("excluded: {kind} (ORG-4)").format(kind=EXCLUDED_WORDS[c.excluded])
                    if c.excluded
                    else STATUS_WORDS[c.status]
                    if c.status
                    else self.tr("not applied"),
                    ", ".join(
                        n
                        for n, held in (("MSPP", c.mspp_certified), ("CfMD", c.cfmd_certified))
                        if held
                    )
                    or "—",
                    str(c.certified_consultants),
                    str(c.implementations),
                    str(c.sponsor_year) if c.sponsor_year else "",
                    c.code_of_conduct_signed_on.isoformat() if c.code_of_conduct_signed_on else "",
                    str(c.open_incidents or ""),
                    ", ".join(c.representatives),
                ]
                for c in overview.companies
            ],
            [c.organisation_id for c in overview.companies],
        )
        current = self._current_application_id()
        self.applications.clear()
        for app in overview.applications:
            item = QListWidgetItem(f"{app.company} — {STATUS_WORDS[app.status]}")
            item.setData(Qt.ItemDataRole.UserRole, app.id)
            self.applications.addItem(item)
            if app.id == current:
                self.applications.setCurrentItem(item)
        if self.applications.currentRow() < 0 and self.applications.count():
            self.applications.setCurrentRow(0)
        self._show_application()
        fill_table(
            self.incidents,
            [
                [
                    i.occurred_on.isoformat(),
                    i.company,
                    i.meeting or "",
                    i.reported_by,
                    i.rule_id,
                    i.status.value.replace("_", " "),
                    i.description,
                    i.outcome,
                ]
                for i in overview.incidents
            ],
            [i.id for i in overview.incidents],
        )
        fill_table(
            self.scores,
            [
                [str(s.rank), s.company, str(s.points)]
                + [str(s.by_kind.get(k, 0) or "") for k in ContributionKind]
                for s in overview.scores
            ],
            [s.organisation_id for s in overview.scores],
        )
        fill_table(
            self.benefits,
            [
                [
                    b.company,
                    BENEFIT_WORDS[b.kind],
                    b.held_on.isoformat() if b.held_on else "",
                    b.note,
                ]
                for b in overview.benefits
            ],
            [b.id for b in overview.benefits],
        )
        self.points_label.setText(
            self.tr("Points per contribution: ")
            + ", ".join(f"{CONTRIBUTION_WORDS[k].lower()} {v}" for k, v in overview.points.items())
            + self.tr(". Presentations count automatically once an approved deck was presented.")
        )
        self.loaded.emit()

    def _current_application_id(self) -> str | None:
        item = self.applications.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _application(self) -> ApplicationView | None:
        wanted = self._current_application_id()
        if self.overview is None or wanted is None:
            return None
        return next((a for a in self.overview.applications if a.id == wanted), None)

    def _show_application(self) -> None:
        while self.steps.count():
            widget = self.steps.takeAt(0).widget()
            if widget is not None and widget is not self.fee_button:
                widget.hide()  # out of the layout at once, not only when deleted
                widget.deleteLater()
        self.fee_button.hide()
        self.checklist.clear()
        self.history.clear()
        app = self._application()
        if app is None:
            self.app_title.setText(self.tr("No applications yet"))
            self.app_facts.setText(
                self.tr("Pick a partner company on the Companies tab and open an application.")
            )
            return
        self.app_title.setText(
            f"{app.company} — {KIND_WORDS[app.kind]} partner — {STATUS_WORDS[app.status]}"
        )
        facts = [
            self.tr("Submitted {d}").format(d=app.submitted_at.date().isoformat()),
            self.tr("fee paid {d}").format(d=app.fee_paid_on.isoformat())
            if app.fee_paid_on
            else self.tr("fee not paid"),
            self.tr("Code of Conduct signed {d}").format(
                d=app.code_of_conduct_signed_on.isoformat()
            )
            if app.code_of_conduct_signed_on
            else self.tr("no signed Code of Conduct on file"),
        ]
        self.app_facts.setText(" · ".join(facts))
        for c in app.checklist:
            mark = "✔" if c.met else "✘"
            item = QListWidgetItem(f"{mark}  {c.label}: {c.detail}  ({c.rule_id})")
            item.setForeground(Qt.GlobalColor.darkGreen if c.met else Qt.GlobalColor.darkRed)
            self.checklist.addItem(item)
        for h in app.history:
            before = STATUS_WORDS[h.from_status] if h.from_status else "—"
            line = f"{h.at:%Y-%m-%d %H:%M}  {before} → {STATUS_WORDS[h.to_status]}  by {h.actor}"
            self.history.addItem(line + (f" — {h.reason}" if h.reason else ""))
        for target in app.next_steps:
            button = QPushButton(self.tr(STEP_WORDS[target]))
            button.setObjectName(f"step_{target.value}")
            button.clicked.connect(lambda _c=False, t=target: self.move(t))
            self.steps.addWidget(button)
        if app.status is ApplicationStatus.APPROVED:
            self.steps.addWidget(self.fee_button)
            self.fee_button.show()
        self.steps.addStretch(1)

    # ------------------------------------------------------------------ actions
    def _run(self, job: Callable[[Desk], Any], said: str) -> None:
        call = self._call
        if call is None:
            return

        def done(_result: Any) -> None:
            self.status.setText(said)
            self.notice.emit(said)
            self.changed.emit()
            self.reload()

        call(job, done)

    def _company(self, title: str) -> str | None:
        """The company picked on the Companies tab, or asked for."""
        chosen = selected_key(self.companies)
        if chosen is not None or self.overview is None or not self.overview.companies:
            return chosen
        names = [c.name for c in self.overview.companies]
        name, ok = QInputDialog.getItem(self, title, self.tr("Partner company:"), names, 0, False)
        if not ok:
            return None
        return self.overview.companies[names.index(name)].organisation_id

    def new_application(self) -> None:
        org = self._company(self.tr("New application"))
        if org is None:
            return
        kinds = [KIND_WORDS[k] for k in PartnerKind]
        kind, ok = QInputDialog.getItem(
            self, self.tr("New application"), self.tr("Kind (PRT-1 / PRT-2):"), kinds, 0, False
        )
        if ok:
            chosen = list(PartnerKind)[kinds.index(kind)]
            self._run(
                lambda d: d.partners.submit_application(org, chosen),
                self.tr("Application submitted (PRT-3)."),
            )

    def move(self, target: ApplicationStatus) -> None:
        app = self._application()
        if app is None:
            return
        reason = ""
        if target in NEEDS_REASON or target is ApplicationStatus.APPROVED:
            reason, ok = QInputDialog.getMultiLineText(
                self,
                self.tr(STEP_WORDS[target]).rstrip("…"),
                self.tr("Why? The applicant is told (PRT-3):"),
            )
            if not ok:
                return
        self._run(
            lambda d: d.partners.move_application(app.id, target, reason),
            self.tr("{company}: {status}.").format(
                company=app.company, status=STATUS_WORDS[target]
            ),
        )

    def fee_paid(self) -> None:
        app = self._application()
        if app is None:
            return
        dialog = FormDialog(self.tr("Annual fee paid"), self)
        paid = dialog.date(self.tr("Paid on:"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day = day_of(paid)
            self._run(
                lambda d: d.partners.record_fee_paid(app.id, day),
                self.tr("Fee recorded as paid."),
            )

    def code_of_conduct_signed(self) -> None:
        org = self._company(self.tr("Code of Conduct signed"))
        if org is None:
            return
        dialog = FormDialog(self.tr("Code of Conduct signed (CND-1)"), self)
        signed = dialog.date(self.tr("Signed on:"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day = day_of(signed)
            self._run(
                lambda d: d.partners.record_code_of_conduct(org, day),
                self.tr("Signed Code of Conduct on file."),
            )

    def report_incident(self) -> None:
        if self.overview is None or not self.overview.companies:
            return
        dialog = FormDialog(self.tr("Report an incident (CND-1)"), self)
        company = dialog.combo(
            self.tr("Company:"), [(c.name, c.organisation_id) for c in self.overview.companies]
        )
        meeting = dialog.combo(
            self.tr("At the meeting:"),
            [(self.tr("— not at a meeting —"), ""), *self.overview.meetings],
        )
        when = dialog.date(self.tr("Happened on:"))
        who = dialog.line(self.tr("Reported by:"))
        what = dialog.text(self.tr("What happened:"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        org, day, by, text = company.currentData(), day_of(when), who.text(), what.toPlainText()
        at = str(meeting.currentData() or "") or None
        self._run(
            lambda d: d.partners.report_incident(org, day, by, text, at),
            self.tr("Incident recorded; the committee reviews it (CND-1)."),
        )

    def review_incident(self) -> None:
        incident = selected_key(self.incidents)
        if incident is None:
            self.status.setText(self.tr("Select an incident first."))
            return
        dialog = FormDialog(self.tr("Review the incident"), self)
        state = dialog.combo(
            self.tr("Status:"), [(self.tr("Under review"), False), (self.tr("Closed"), True)]
        )
        outcome = dialog.text(self.tr("Outcome:"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        close, text = bool(state.currentData()), outcome.toPlainText()
        self._run(
            lambda d: d.partners.review_incident(incident, text, close),
            self.tr("Incident review saved."),
        )

    def record_contribution(self) -> None:
        if self.overview is None or not self.overview.companies:
            return
        dialog = FormDialog(self.tr("Record a contribution (PRT-7)"), self)
        company = dialog.combo(
            self.tr("Partner:"), [(c.name, c.organisation_id) for c in self.overview.companies]
        )
        kind = dialog.combo(
            self.tr("Kind:"), [(CONTRIBUTION_WORDS[k], k) for k in ContributionKind]
        )
        when = dialog.date(self.tr("Given on:"))
        what = dialog.line(self.tr("What:"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        org, day, text = company.currentData(), day_of(when), what.text()
        chosen = ContributionKind(kind.currentData())
        self._run(
            lambda d: d.partners.record_contribution(org, chosen, day, text),
            self.tr("Contribution recorded."),
        )

    def edit_profile(self) -> None:
        org = self._company(self.tr("Partner profile"))
        if org is None or self.overview is None:
            return
        row = next(c for c in self.overview.companies if c.organisation_id == org)
        dialog = FormDialog(self.tr("{company}: partner profile").format(company=row.name), self)
        kind = dialog.combo(self.tr("Kind:"), [(KIND_WORDS[k], k) for k in PartnerKind])
        if row.kind is not None:
            kind.setCurrentIndex(list(PartnerKind).index(row.kind))
        mspp = QCheckBox(self.tr("Microsoft Dynamics certified (MSPP)"))
        mspp.setChecked(row.mspp_certified)
        cfmd = QCheckBox(self.tr("Solution certified for Microsoft Dynamics (CfMD)"))
        cfmd.setChecked(row.cfmd_certified)
        consultants = QSpinBox()
        consultants.setRange(0, 10_000)
        consultants.setValue(row.certified_consultants)
        sponsor = QCheckBox(
            self.tr("Paid Annual Chapter Sponsor in {year} (PRT-5)").format(year=date.today().year)
        )
        sponsor.setChecked(row.sponsor_year is not None)
        dialog.form.addRow("", mspp)
        dialog.form.addRow("", cfmd)
        dialog.form.addRow(self.tr("Certified consultants:"), consultants)
        dialog.form.addRow("", sponsor)
        contact = dialog.line(self.tr("Public contact (directory):"))
        contact.setText(row.public_contact)
        contact.setPlaceholderText(self.tr("The company's own address or phone, never a member's"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = (
            PartnerKind(kind.currentData()),  # Qt hands a str enum back as str
            mspp.isChecked(),
            cfmd.isChecked(),
            consultants.value(),
            date.today().year if sponsor.isChecked() else None,
            contact.text(),
        )
        self._run(
            lambda d: d.partners.save_profile(org, *values),
            self.tr("{company}: profile saved.").format(company=row.name),
        )

    def add_reference(self) -> None:
        org = self._company(self.tr("Add a reference"))
        if org is None or self.overview is None:
            return
        if not self.overview.customers:
            self.status.setText(self.tr("This chapter has no customer companies yet."))
            return
        dialog = FormDialog(self.tr("Documented implementation (PRT-1 / PRT-2)"), self)
        customer = dialog.combo(self.tr("Customer:"), list(self.overview.customers))
        what = dialog.line(self.tr("Project:"))
        positive = QCheckBox(self.tr("The customer gives a positive reference"))
        dialog.form.addRow("", positive)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen, text, good = customer.currentData(), what.text(), positive.isChecked()
        self._run(
            lambda d: d.partners.add_implementation(org, chosen, text, good),
            self.tr("Reference recorded."),
        )

    def record_benefit(self) -> None:
        if self.overview is None or not self.overview.companies:
            return
        dialog = FormDialog(self.tr("Record a benefit (PRT-4)"), self)
        company = dialog.combo(
            self.tr("Partner:"), [(c.name, c.organisation_id) for c in self.overview.companies]
        )
        kind = dialog.combo(self.tr("Benefit:"), [(BENEFIT_WORDS[k], k) for k in BenefitKind])
        when = dialog.date(self.tr("On:"))
        note = dialog.line(self.tr("Note:"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        org, day, text = company.currentData(), day_of(when), note.text()
        chosen = BenefitKind(kind.currentData())
        year = self.year.value()
        self._run(
            lambda d: d.partners.record_benefit(org, chosen, year, day, text),
            self.tr("Benefit recorded for {year}.").format(year=year),
        )

    def edit_points(self) -> None:
        chapter = self._chapter_id
        if self.overview is None or chapter is None:
            return
        dialog = FormDialog(self.tr("Points per contribution (PRT-7)"), self)
        boxes: dict[ContributionKind, QSpinBox] = {}
        for kind in ContributionKind:
            box = QSpinBox()
            box.setRange(0, 100)
            box.setValue(self.overview.points.get(kind, 0))
            dialog.form.addRow(CONTRIBUTION_WORDS[kind] + ":", box)
            boxes[kind] = box
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        points = {k: b.value() for k, b in boxes.items()}
        self._run(lambda d: d.partners.set_points(chapter, points), self.tr("Points saved."))

    def write_partner_report(self) -> None:
        call, chapter, year = self._call, self._chapter_id, self.year.value()
        partner = selected_key(self.scores)
        if partner is None:
            self.status.setText(self.tr("Select a partner in the ranking first."))
            return
        name = self.scores.item(self.scores.currentRow(), 1)
        company = name.text() if name is not None else "partner"
        target = self._ask_pdf(
            self.tr("Partner's contributions"), f"{company} contributions {year}"
        )
        if call is None or chapter is None or target is None:
            return
        call(
            lambda d: d.partners.write_contributions_report(chapter, year, target, partner),
            lambda _n: self._written(target, company),
        )

    def _ask_pdf(self, title: str, name: str) -> Path | None:
        safe = "".join(c if c.isalnum() or c in " -_." else "-" for c in name).strip(" .")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            title,
            str(Path.home() / f"{safe or 'partners'}.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return None
        return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")

    def write_report(self) -> None:
        call, chapter, year = self._call, self._chapter_id, self.year.value()
        target = self._ask_pdf(self.tr("Contributions report"), f"partner contributions {year}")
        if call is None or chapter is None or target is None:
            return
        call(
            lambda d: d.partners.write_contributions_report(chapter, year, target),
            lambda n: self._written(target, self.tr("{n} partners ranked").format(n=n)),
        )

    def write_directory(self) -> None:
        call, chapter = self._call, self._chapter_id
        target = self._ask_pdf(self.tr("Community Partner Directory"), "partner directory")
        if call is None or chapter is None or target is None:
            return
        call(
            lambda d: d.partners.write_directory(chapter, target),
            lambda n: self._written(target, self.tr("{n} admitted partners").format(n=n)),
        )

    def _written(self, target: Path, what: str) -> None:
        text = self.tr("{what}: saved to {path}").format(what=what, path=target)
        self.status.setText(text)
        self.notice.emit(text)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
