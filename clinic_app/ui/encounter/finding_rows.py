"""The rows of the checks panel: one finding, or one line per kind of INFO note.

:class:`FindingRow` shows a finding (badge, message, sites, source) and is clickable when
it names a site or a field. :class:`InfoGroup` collapses several INFO notes of one kind into
one line with their sites and count (issue 12 §6: fewer, better alerts); expanding it shows
each note's own row, still clickable.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from clinic_app.domain.rules import Finding, Severity, default_rules

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


def sites_text(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    label = "Site" if len(numbers) == 1 else "Sites"
    return f"{label} {', '.join(str(n) for n in numbers)}"


def make_label(text: str = "", name: str = "", *, rich: bool = False) -> QLabel:
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
        self.badge = make_label(word, "Severity")
        self.badge.setWordWrap(False)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; font-weight: bold; "
            "border-radius: 3px; padding: 1px 5px; }"
        )
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = make_label(finding.message, "Finding")
        self.sites = make_label(sites_text(finding.sites), "Sites")
        self.sites.setWordWrap(False)
        self.sites.setVisible(bool(finding.sites))
        self.source = make_label(finding.source, "Source")
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


def kind_title(rule: str) -> str:
    """A rule's short name from the rule data ("Pneumothorax risk at the site")."""
    spec = default_rules().rules.get(rule)
    return spec.title if spec is not None else rule


def group_text(findings: Sequence[Finding]) -> str:
    """ "Pneumothorax risk at the site: Sites 1, 2, 3 (3)": the count is of the sites named,
    or of the notes when they name none."""
    numbers = sorted({n for f in findings for n in f.sites})
    where = f": {sites_text(numbers)}" if numbers else ""
    return f"{kind_title(findings[0].rule)}{where} ({len(numbers) or len(findings)})"


class InfoGroup(QFrame):
    """Several INFO notes of one rule as one line; a click expands them.

    Signals:
        expanded_changed(str, bool): the rule id and whether its notes are now shown.

    Attributes:
        header: the one line (badge word, kind, sites, count), checkable.
        rows: one :class:`FindingRow` per note, shown while expanded.
    """

    expanded_changed = Signal(str, bool)

    def __init__(
        self, findings: Sequence[Finding], *, expanded: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rule = findings[0].rule
        self.setObjectName("infoGroup")
        word, colour = BADGES[Severity.INFO]
        self.setStyleSheet(
            f"QFrame#infoGroup {{ background: {BADGE_BACKGROUNDS[Severity.INFO]}; "
            f"border-left: 4px solid {colour}; border-radius: 2px; }}"
            f"QFrame#infoGroup QToolButton {{ color: {colour}; font-weight: bold; "
            "background: transparent; border: none; text-align: left; }"
        )
        self.header = QToolButton()
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setText(f"{word}  {group_text(findings)}")
        self.header.setAccessibleName(f"{word}: {group_text(findings)}")
        self.header.setToolTip("\n".join(f.message for f in findings))
        self.header.toggled.connect(self._on_toggled)
        self.rows = [FindingRow(f) for f in findings]
        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(12, 0, 0, 0)
        body.setSpacing(2)
        for row in self.rows:
            body.addWidget(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self._body)
        self.header.setChecked(expanded)
        self._show(expanded)

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()

    def text(self) -> str:
        if not self.expanded:
            return self.header.text()
        return "\n".join([self.header.text(), *(row.text() for row in self.rows)])

    def _on_toggled(self, expanded: bool) -> None:
        self._show(expanded)
        self.expanded_changed.emit(self.rule, expanded)

    def _show(self, expanded: bool) -> None:
        arrow = Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        self.header.setArrowType(arrow)
        self._body.setVisible(expanded)
