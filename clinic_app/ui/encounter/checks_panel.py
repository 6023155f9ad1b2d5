"""The live checks: findings as the encounter is charted, the codes, and the debounce.

:class:`LiveChecks` asks the checks service a moment after the last change (no Save
needed), off the GUI thread, and emits the :class:`Assessment`; :class:`ChecksPanel` lists
its findings and :class:`CodesBox` its codes. The panel and the box only get plain engine values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.domain.rules import Assessment, CodingSummary, Finding, Severity
from clinic_app.ui.common.jobs import JobQueue

log = logging.getLogger(__name__)

#: Pause after the last change before the checks run again.
CHECKS_DEBOUNCE_MS = 250
CHECKS_EMPTY_TEXT = "Dose and safety checks appear here as you chart."
NO_PROBLEMS_TEXT = "No problems found"
#: Badge word and colours per severity: the word carries the meaning, the colour helps.
BADGES: dict[Severity, tuple[str, str]] = {
    Severity.BLOCK: ("BLOCK", "#b71c1c"),
    Severity.WARNING: ("WARNING", "#8a4b00"),
    Severity.INFO: ("INFO", "#1f5fa8"),
}
BADGE_BACKGROUNDS: dict[Severity, str] = {
    Severity.BLOCK: "#fdecea",
    Severity.WARNING: "#fff4d6",
    Severity.INFO: "#e8f0fb",
}
CODER_REVIEW_TEXT = "Coder review: injection and dry needling in one session"
SAFETY_PREFIX = "site."


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_text(assessment: Assessment, *, signed: bool = False) -> str:
    """ "2 blocks · 3 warnings · 1 note — signing is refused until blocks are resolved".

    For a signed visit the warnings were overridden with the reasons in its signature.
    """
    blocks, warnings, infos = assessment.blocks, assessment.warnings, assessment.infos
    if not assessment.findings:
        return NO_PROBLEMS_TEXT
    parts = [
        _plural(len(blocks), "block", "blocks"),
        _plural(len(warnings), "warning", "warnings"),
        _plural(len(infos), "note", "notes"),
    ]
    text = " · ".join(p for p in parts if not p.startswith("0 "))
    if blocks:
        return f"{text} — signing is refused until blocks are resolved"
    if assessment.reasons_needed and signed:
        return f"{text} — signed; the reasons for the warnings are in the signature"
    if assessment.reasons_needed:
        return f"{text} — some warnings need a typed reason at signing"
    return text


def safety_site_numbers(findings: Iterable[Finding]) -> set[int]:
    """Site numbers named by site-safety findings (the markers the body map badges)."""
    return {n for f in findings if f.rule.startswith(SAFETY_PREFIX) for n in f.sites}


def sites_text(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    label = "Site" if len(numbers) == 1 else "Sites"
    return f"{label} {', '.join(str(n) for n in numbers)}"


def _label(text: str = "", name: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setAccessibleName(name)
    return label


#: What a click on a finding with a target does, for its tooltip.
TARGET_TIPS = {
    "consent": "Go to “Consent obtained”",
    "time_out": "Go to “Time-out done”",
    "skin_prep": "Go to Skin prep",
    "pain_before": "Go to Pain before",
    "pain_after": "Go to Pain after",
    "indication": "Go to Indication",
    "icd10": "Go to the ICD-10 codes",
    "needle_intact": "Go to “Needle intact after removal”",
    "disposition": "Go to Disposition",
    "prior_relief": "Go to “Relief since last session”",
}


class FindingRow(QFrame):
    """One finding: severity badge, message, source; clickable when it names sites or a field.

    Signals:
        activated(int): the first site number named (clicked, or Enter/Space), for findings
            without a target.
        target_activated(str, int): the finding's target field and its first site number
            (0 when none), for findings that point at a field (``Finding.target``).
    """

    activated = Signal(int)
    target_activated = Signal(str, int)

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("findingRow")
        word, colour = BADGES[finding.severity]
        self.setStyleSheet(
            f"QFrame#findingRow {{ background: {BADGE_BACKGROUNDS[finding.severity]}; "
            f"border-left: 4px solid {colour}; border-radius: 2px; }}"
            "QFrame#findingRow QLabel { color: black; background: transparent; }"
        )
        self.badge = _label(word, "Severity")
        self.badge.setWordWrap(False)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; font-weight: bold; "
            "border-radius: 3px; padding: 1px 5px; }"
        )
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = _label(finding.message, "Finding")
        self.sites = _label(sites_text(finding.sites), "Sites")
        self.sites.setWordWrap(False)
        self.sites.setVisible(bool(finding.sites))
        self.source = _label(finding.source, "Source")
        self.source.setStyleSheet("QLabel { color: #555; font-size: 8pt; }")
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message, 1)
        top.addWidget(self.sites, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.source)
        self.setAccessibleName(f"{word}: {finding.message}")
        if finding.target == "lot" and finding.sites:
            tip = f"Go to the lot of site {finding.sites[0]}"
        elif finding.target:
            tip = TARGET_TIPS.get(finding.target, "Go to the field")
        elif finding.sites:
            tip = f"Select site {finding.sites[0]}"
        else:
            tip = ""
        if tip:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setToolTip(tip)

    @property
    def clickable(self) -> bool:
        return bool(self.finding.target or self.finding.sites)

    def activate(self) -> None:
        """What a click does: go to the finding's field, or select its site."""
        f = self.finding
        if f.target:
            self.target_activated.emit(f.target, f.sites[0] if f.sites else 0)
        elif f.sites:
            self.activated.emit(f.sites[0])

    def text(self) -> str:
        parts = [self.badge.text(), self.message.text(), self.sites.text(), self.source.text()]
        return " ".join(p for p in parts if p)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.clickable:
            self.activate()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in keys and self.clickable:
            self.activate()
            return
        super().keyPressEvent(event)


class ChecksPanel(QGroupBox):
    """The "Checks" group: a summary line, then one row per finding (most severe first).

    Signals:
        site_activated(int): a finding's first site number was clicked.
        target_activated(str, int): a finding pointing at a field was clicked: the field
            (``Finding.target``) and its first site number (0 when none).

    Attributes:
        summary: the summary (or error) line. rows: the finding rows shown.
    """

    site_activated = Signal(int)
    target_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checks", parent)
        self.setObjectName("checksBox")
        self.setAccessibleName("Checks")
        self.summary = _label(CHECKS_EMPTY_TEXT, "Checks summary")
        self.summary.setObjectName("checksText")
        self.summary.setProperty("empty", True)
        self.rows: list[FindingRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.summary)
        self.assessment: Assessment | None = None

    def set_assessment(self, assessment: Assessment, *, signed: bool = False) -> None:
        """Show these findings (replacing the previous ones)."""
        self.assessment = assessment
        self._set_summary(
            summary_text(assessment, signed=signed), "error" if assessment.blocks else ""
        )
        self._clear_rows()
        for finding in assessment.findings:
            row = FindingRow(finding)
            row.activated.connect(self.site_activated)
            row.target_activated.connect(self.target_activated)
            self._layout.addWidget(row)
            self.rows.append(row)

    def set_error(self, message: str) -> None:
        """The checks could not run: say so instead of showing stale findings."""
        self.assessment = None
        self._clear_rows()
        self._set_summary(
            f"Checks could not run: {message} They run again at the next change.", "error"
        )

    def text(self) -> str:
        """Everything the panel says, one line per row (for tests and screen readers)."""
        return "\n".join([self.summary.text(), *(row.text() for row in self.rows)])

    def _set_summary(self, text: str, kind: str) -> None:
        self.summary.setText(text)
        self.summary.setProperty("empty", False)
        weight = "bold" if kind else "normal"
        colour = "#b71c1c" if kind else "palette(window-text)"
        self.summary.setStyleSheet(f"QLabel {{ font-weight: {weight}; color: {colour}; }}")

    def _clear_rows(self) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []


class CodesBox(QGroupBox):
    """The "Codes" group: CPT and HCPCS lines with units, ICD-10 codes, coder review.

    Attributes:
        label: the codes as text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Codes", parent)
        self.setAccessibleName("Codes")
        self.label = _label("No codes yet.", "Codes summary", rich=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)

    def set_coding(self, coding: CodingSummary) -> None:
        lines = [
            f"<b>CPT {escape(c.code)}</b> × {c.units} — {escape(c.description)}" for c in coding.cpt
        ]
        lines += [
            f"<b>HCPCS {escape(h.code)}</b> × {h.units} units — {escape(h.description)}"
            for h in coding.hcpcs
        ]
        if coding.icd10:
            lines.append(f"<b>ICD-10</b> {escape(', '.join(coding.icd10))}")
        if coding.coder_review:
            lines.append(f"<span style='color:#8a4b00'><b>{CODER_REVIEW_TEXT}</b></span>")
        self.label.setText("<br>".join(lines) or "No codes yet.")

    def text(self) -> str:
        return self.label.text()


class LiveChecks(QObject):
    """Runs the checks a moment after the last change, on whatever the editor shows.

    ``prepare`` reads what the editor shows (on the GUI thread) and returns the job that
    asks the checks service; the job runs on ``jobs``, off the GUI thread. Only the answer
    to the newest request is shown: an older one still arriving is dropped.

    Signals:
        assessed(Assessment): the checks ran.
        failed(str): they could not run (the message says why).

    Attributes:
        timer: restarted by every change; the checks run when it fires.
        last: the newest assessment shown (None before the first, or after a failure).
    """

    assessed = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        prepare: Callable[[], Callable[[], Assessment]],
        jobs: JobQueue,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._prepare = prepare
        self._jobs = jobs
        self._request = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECKS_DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_later)
        self.last: Assessment | None = None

    def schedule(self, *_args: object) -> None:
        self.timer.start()

    def stop(self) -> None:
        """Check nothing more (the window closes); answers still coming are dropped."""
        self.timer.stop()
        self._request += 1

    def run_later(self) -> None:
        """Ask for the checks on the worker; the answer comes back as ``assessed``."""
        self.timer.stop()
        if self._jobs.closed:
            return
        self._request += 1
        request = self._request
        try:
            job = self._prepare()
        except Exception as exc:  # advisory read: any failure is shown, never a crash
            self._fail(request, exc)
            return
        self._jobs.submit(
            job, lambda result: self._show(request, result), lambda exc: self._fail(request, exc)
        )

    def run_now(self) -> Assessment | None:
        """Run the checks now and wait for them; None (and ``failed``) when they could not."""
        self.timer.stop()
        self._request += 1
        request = self._request
        try:
            result: Assessment = self._jobs.call(self._prepare())
        except Exception as exc:  # advisory read: any failure is shown, never a crash
            self._fail(request, exc)
            return None
        self._show(request, result)
        return result

    def _show(self, request: int, result: Assessment) -> None:
        if request != self._request:
            return  # an answer to an older request: a newer one is on its way
        self.last = result
        self.assessed.emit(result)

    def _fail(self, request: int, exc: Exception) -> None:
        if request != self._request:
            return
        log.error("The checks could not run", exc_info=exc)
        self.last = None
        self.failed.emit(str(exc) or type(exc).__name__)
