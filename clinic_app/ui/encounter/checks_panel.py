"""The live checks: findings as the encounter is charted, the codes, and the debounce.

:class:`LiveChecks` asks the checks service a moment after the last change (no Save
needed), off the GUI thread, and emits the :class:`Assessment`; :class:`ChecksPanel` lists
its findings and :class:`CodesBox` its codes. The panel and the box only get plain engine values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from clinic_app.domain.rules import Assessment, CodingSummary, Finding, Severity
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.encounter.finding_rows import (
    BADGE_BACKGROUNDS,
    BADGES,
    TARGET_TIPS,
    FindingRow,
    InfoGroup,
    make_label,
    sites_text,
)

__all__ = [
    "BADGES",
    "BADGE_BACKGROUNDS",
    "CHECKS_EMPTY_TEXT",
    "CODER_REVIEW_TEXT",
    "NO_PROBLEMS_TEXT",
    "TARGET_TIPS",
    "ChecksPanel",
    "CodesBox",
    "FindingRow",
    "InfoGroup",
    "LiveChecks",
    "safety_site_numbers",
    "sites_text",
    "summary_text",
]

log = logging.getLogger(__name__)

#: Pause after the last change before the checks run again.
CHECKS_DEBOUNCE_MS = 250
CHECKS_EMPTY_TEXT = "Dose and safety checks appear here as you chart."
NO_PROBLEMS_TEXT = "No problems found"
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


def _kinds(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings in order, INFO notes of one rule together (at the first one's place)."""
    kinds: list[list[Finding]] = []
    info: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity is not Severity.INFO:
            kinds.append([finding])
        elif finding.rule in info:
            info[finding.rule].append(finding)
        else:
            info[finding.rule] = [finding]
            kinds.append(info[finding.rule])
    return kinds


class ChecksPanel(QGroupBox):
    """The "Checks" group: a summary line, then one row per finding (most severe first).

    Blocks and warnings each get their own row; several INFO notes of one rule collapse into
    one line with their sites and count (:class:`InfoGroup`), expanded on a click. What the
    user expanded stays expanded when the checks run again.

    Signals:
        site_activated(int): a finding's first site number was clicked.
        target_activated(str, int): a finding pointing at a field was clicked: the field
            (``Finding.target``) and its first site number (0 when none).

    Attributes:
        summary: the summary (or error) line. rows: every finding's row (those in a
            collapsed group are hidden). groups: the collapsed INFO kinds.
    """

    site_activated = Signal(int)
    target_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checks", parent)
        self.setObjectName("checksBox")
        self.setAccessibleName("Checks")
        self.summary = make_label(CHECKS_EMPTY_TEXT, "Checks summary")
        self.summary.setObjectName("checksText")
        self.summary.setProperty("empty", True)
        self.rows: list[FindingRow] = []
        self.groups: list[InfoGroup] = []
        self._widgets: list[QWidget] = []
        #: INFO kinds (rule ids) the user expanded.
        self._expanded: set[str] = set()
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
        for kind in _kinds(assessment.findings):
            widget: QWidget
            if len(kind) == 1:
                widget = FindingRow(kind[0])
                rows = [widget]
            else:
                widget = InfoGroup(kind, expanded=kind[0].rule in self._expanded)
                widget.expanded_changed.connect(self._on_expanded)
                rows = widget.rows
                self.groups.append(widget)
            for row in rows:
                row.activated.connect(self.site_activated)
                row.target_activated.connect(self.target_activated)
            self.rows += rows
            self._layout.addWidget(widget)
            self._widgets.append(widget)

    def set_error(self, message: str) -> None:
        """The checks could not run: say so instead of showing stale findings."""
        self.assessment = None
        self._clear_rows()
        self._set_summary(
            f"Checks could not run: {message} They run again at the next change.", "error"
        )

    def text(self) -> str:
        """Everything the panel says, one line per row (for tests and screen readers)."""
        return "\n".join([self.summary.text(), *(_text(w) for w in self._widgets)])

    def _set_summary(self, text: str, kind: str) -> None:
        self.summary.setText(text)
        self.summary.setProperty("empty", False)
        weight = "bold" if kind else "normal"
        colour = "#b71c1c" if kind else "palette(window-text)"
        self.summary.setStyleSheet(f"QLabel {{ font-weight: {weight}; color: {colour}; }}")

    def _on_expanded(self, rule: str, expanded: bool) -> None:
        if expanded:
            self._expanded.add(rule)
        else:
            self._expanded.discard(rule)

    def _clear_rows(self) -> None:
        for widget in self._widgets:
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.rows, self.groups, self._widgets = [], [], []


def _text(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, (FindingRow, InfoGroup)) else ""


class CodesBox(QGroupBox):
    """The "Codes" group: CPT and HCPCS lines with units, ICD-10 codes, coder review.

    Attributes:
        label: the codes as text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Codes", parent)
        self.setAccessibleName("Codes")
        self.label = make_label("No codes yet.", "Codes summary", rich=True)
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
