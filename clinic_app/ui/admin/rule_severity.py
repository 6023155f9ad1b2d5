"""Every check with the severity the clinic set, and its standard typed reasons.

An administrator raises a check (note → warning → block) or lowers it down to the floor the
rule data allows (``ClinicService.set_rule_override`` with a severity and a reason), restores
it as shipped, and edits the standard reasons the signing dialog offers
(``ClinicService.set_rule_reasons``). Each change is saved at once (its own audited action)
and passes the clinic profile's version the list was read at: a change made meanwhile on
another workstation is refused, and the list shows the checks as they are now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError, StaleVersionError
from clinic_app.services.dto import RuleSettings, RuleSettingView
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

INTRO = (
    "How each check is enforced at this clinic. Raise a check (note → warning → block) or "
    "lower it as far as its data allows (a dose block cannot be lowered); a warning set by "
    "the clinic needs a typed reason at signing. Standard reasons are offered as a quick pick."
)
SEVERITY_WORDS = {
    "block": "Blocks signing",
    "warning": "Warning",
    "info": "Note (INFO)",
}
STALE_STATUS = "Not changed: the clinic settings were changed on another workstation."


def severity_text(row: RuleSettingView) -> str:
    """ "Warning (clinic; shipped: Note (INFO))" or the shipped word."""
    word = SEVERITY_WORDS.get(row.severity, row.severity)
    if not row.changed:
        return word
    return f"{word} (clinic; shipped: {SEVERITY_WORDS.get(row.shipped, row.shipped)})"


class RuleTreeBox(QGroupBox):
    """A box listing rules in ``tree`` (one item per rule, its id in the UserRole) over the
    rows last read (``_rows``): what the clinic's rule screens share."""

    tree: QTreeWidget
    _rows: list[RuleSettingView]

    def rows(self) -> list[RuleSettingView]:
        return list(self._rows)

    def select_rule(self, rule_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == rule_id:
                self.tree.setCurrentItem(item)

    def current_rule(self) -> RuleSettingView | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        rule_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self._rows if r.rule_id == rule_id), None)


class RuleSeverityBox(RuleTreeBox):
    """Lists every check: severity, the clinic's reason, how many standard reasons.

    Signals:
        changed(): a check's severity or reasons changed (already saved).
        version_changed(int, int): that save moved the clinic profile's version from the
            first to the second.

    Attributes:
        tree: one row per check. change_button, restore_button, picks_button: act on the
            selected check. status: the last refusal or confirmation.
    """

    changed = Signal()
    version_changed = Signal(int, int)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__("Checks and alerts", parent)
        self.setAccessibleName("Checks and alerts")
        self._services = services
        self._rows: list[RuleSettingView] = []
        self._version = 0
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Checks, their severity and standard reasons")
        self.tree.setHeaderLabels(["Check", "Severity", "Clinic's reason", "Standard reasons"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumHeight(self.tree.fontMetrics().lineSpacing() * 16)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.change_button = QPushButton("Change &severity…")
        self.change_button.clicked.connect(self.on_change)
        self.restore_button = QPushButton("&Restore as shipped")
        self.restore_button.clicked.connect(self.on_restore)
        self.picks_button = QPushButton("Standard &reasons…")
        self.picks_button.clicked.connect(self.on_picks)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Checks status")
        buttons = QHBoxLayout()
        for button in (self.change_button, self.restore_button, self.picks_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.reload()

    # ------------------------------------------------------------------ state
    def reload(self) -> None:
        try:
            settings = self._services.clinic.rule_settings()
        except ClinicError as exc:
            self.status.setText(f"Could not read the checks: {exc}")
            settings = RuleSettings(0, ())
        self._show(settings)

    # ------------------------------------------------------------------ slots
    def on_change(self) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        options = [c for c in rule.choices if c != rule.severity]
        words = [SEVERITY_WORDS[c] for c in options]
        word = messages.ask_choice(self, "Change a check", f"“{rule.title}” becomes:", words)
        if word is None:
            return
        severity = options[words.index(word)]
        if severity == rule.shipped:
            self._save(rule, "restored as shipped", rule.rule_id, None, None)
            return
        reason = messages.ask_rule_change_reason(self, rule.title, word)
        if reason is not None:
            self._save(rule, f"set to {word.lower()}", rule.rule_id, reason, severity)

    def on_restore(self) -> None:
        rule = self.current_rule()
        if rule is not None:
            self._save(rule, "restored as shipped", rule.rule_id, None, None)

    def on_picks(self) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        text = messages.ask_rule_picks(self, rule.title, "\n".join(rule.picks))
        if text is None:
            return
        picks = [line.strip() for line in text.splitlines() if line.strip()]
        clinic = self._services.clinic

        def save(version: int) -> RuleSettings:
            return clinic.set_rule_reasons(rule.rule_id, picks or None, expected_version=version)

        self._run(rule, "standard reasons saved", save)

    # ------------------------------------------------------------------ helpers
    def _save(
        self,
        rule: RuleSettingView,
        done: str,
        rule_id: str,
        reason: str | None,
        severity: str | None,
    ) -> None:
        clinic = self._services.clinic

        def save(version: int) -> RuleSettings:
            return clinic.set_rule_override(
                rule_id, reason, expected_version=version, severity=severity
            )

        self._run(rule, done, save)

    def _run(self, rule: RuleSettingView, done: str, call: Callable[[int], RuleSettings]) -> None:
        before = self._version
        try:
            settings = call(before)
        except StaleVersionError as exc:
            messages.show_error(self, "Changed on another workstation", exc)
            self.reload()
            self.select_rule(rule.rule_id)
            self.status.setText(STALE_STATUS)
            return
        except ClinicError as exc:
            self.status.setText(f"Not changed: {exc}")
            return
        self._show(settings)
        self.select_rule(rule.rule_id)
        self.version_changed.emit(before, settings.version)
        self.status.setText(f"Saved: “{rule.title}” {done}.")
        self.changed.emit()

    def _show(self, settings: RuleSettings) -> None:
        self._rows = list(settings.rules)
        self._version = settings.version
        self.tree.clear()
        for row in self._rows:
            picks = f"{len(row.picks)}{' (clinic)' if row.custom_picks else ''}"
            item = QTreeWidgetItem([row.title, severity_text(row), row.reason, picks])
            item.setData(0, Qt.ItemDataRole.UserRole, row.rule_id)
            item.setToolTip(0, row.source)
            if row.changed:
                item.setToolTip(2, f"{row.reason} — {row.by}, {row.at[:10]}")
            if row.picks:
                item.setToolTip(3, "\n".join(row.picks))
            self.tree.addTopLevelItem(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        rule = self.current_rule()
        self.change_button.setEnabled(rule is not None and len(rule.choices) > 1)
        self.restore_button.setEnabled(rule is not None and rule.changed)
        self.picks_button.setEnabled(rule is not None)


class RuleSeverityDialog(QDialog):
    """The :class:`RuleSeverityBox` in a window of its own (from the clinic settings).

    Attributes:
        box: the list.
    """

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Checks and alerts")
        self.setMinimumSize(820, 560)
        self.box = RuleSeverityBox(services)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(buttons)
