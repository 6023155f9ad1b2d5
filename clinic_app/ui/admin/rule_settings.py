"""The clinic settings' "Documentation checks" section: which completeness checks block.

Every documentation-completeness rule blocks signing as shipped; an administrator may lower
one to a warning with a typed reason (``ClinicService.set_rule_override``), and restore it.
Each change is saved at once (it is its own audited action), independent of the dialog's
Save button, and the list shows the stored state afterwards.

The choices live on the clinic profile, so each change passes the profile's version the list
was read at (issue 11 §2). When another workstation saved the clinic settings meanwhile, the
change is refused: a message says so, the list shows the checks as they are now, and the
reason typed is kept for the next try (the prompt opens with it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError, StaleVersionError
from clinic_app.domain.rules import DOCUMENTATION_RULES
from clinic_app.services.dto import RuleSettings, RuleSettingView
from clinic_app.ui.admin.rule_severity import RuleSeverityDialog, RuleTreeBox
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

INTRO = (
    "A visit cannot be signed while one of these is missing. The clinic may lower a check to a "
    "warning, with a reason; the provider then types a reason at signing."
)
SEVERITY_WORDS = {"block": "Blocks signing", "warning": "Warning (lowered)"}
#: The status line after a stale refusal (the message box said what happened).
STALE_STATUS = "Not changed: the clinic settings were changed on another workstation."
#: Added to it when a reason was typed.
KEPT_REASON = "Your reason is kept: choose “Lower to a warning…” again to use it."


class DocumentationRulesBox(RuleTreeBox):
    """Lists the completeness checks with their severity and the clinic's reason.

    Signals:
        changed(): a check was lowered or restored (already saved).
        version_changed(int, int): that save moved the clinic profile's version from the
            first to the second (the settings dialog's own copy follows when it was the
            first).

    Attributes:
        tree: one row per check (title, severity, reason). lower_button, restore_button:
            act on the selected check. all_button: opens every check's severity and
            standard reasons (:class:`RuleSeverityDialog`, kept as ``all_checks``).
            status: the last refusal or confirmation.
    """

    changed = Signal()
    version_changed = Signal(int, int)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__("Documentation checks", parent)
        self.setAccessibleName("Documentation checks")
        self._services = services
        self._rows: list[RuleSettingView] = []
        #: The clinic profile's version the list was read at.
        self._version = 0
        #: Reasons typed for a change that was refused as stale, by rule id.
        self._kept: dict[str, str] = {}
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Documentation checks and their severity")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Check", "Severity", "Clinic's reason"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        # Tall enough for all nine checks without scrolling.
        self.tree.setMinimumHeight(self.tree.fontMetrics().lineSpacing() * 13)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.lower_button = QPushButton("Lower to a &warning…")
        self.lower_button.clicked.connect(self.on_lower)
        self.restore_button = QPushButton("Make it &block again")
        self.restore_button.clicked.connect(self.on_restore)
        self.all_button = QPushButton("All checks and &standard reasons…")
        self.all_button.clicked.connect(self.on_all_checks)
        self.all_checks: RuleSeverityDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Documentation checks status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.lower_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.all_button)
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

    @property
    def version(self) -> int:
        """The clinic profile's version the list was read at."""
        return self._version

    def kept_reason(self, rule_id: str) -> str:
        """The reason typed for ``rule_id`` whose change was refused as stale ("" if none)."""
        return self._kept.get(rule_id, "")

    # ------------------------------------------------------------------ slots
    def on_lower(self) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        reason = messages.ask_rule_lowering_reason(self, rule.title, self.kept_reason(rule.rule_id))
        if reason is None:
            return
        self._apply(rule, reason)

    def on_restore(self) -> None:
        rule = self.current_rule()
        if rule is not None:
            self._apply(rule, None)

    def on_all_checks(self) -> None:
        """Every check's severity and standard reasons, in a window of their own."""
        self.all_checks = RuleSeverityDialog(self._services, self)
        self.all_checks.box.version_changed.connect(self._on_all_saved)
        self.all_checks.open()

    def _on_all_saved(self, before: int, after: int) -> None:
        self.reload()
        self.version_changed.emit(before, after)
        self.changed.emit()

    # ------------------------------------------------------------------ helpers
    def _apply(self, rule: RuleSettingView, reason: str | None) -> None:
        before = self._version
        try:
            settings = self._services.clinic.set_rule_override(
                rule.rule_id, reason, expected_version=before
            )
        except StaleVersionError as exc:
            if reason is not None:
                self._kept[rule.rule_id] = reason
            messages.show_error(self, "Changed on another workstation", exc)
            self.reload()
            self.select_rule(rule.rule_id)
            kept = f" {KEPT_REASON}" if reason is not None else ""
            self.status.setText(f"{STALE_STATUS}{kept}")
            return
        except ClinicError as exc:
            self.status.setText(f"Not changed: {exc}")
            return
        self._kept.pop(rule.rule_id, None)
        self._show(settings)
        self.select_rule(rule.rule_id)
        self.version_changed.emit(before, settings.version)
        done = "lowered to a warning" if reason is not None else "blocks signing again"
        self.status.setText(f"Saved: “{rule.title}” {done}.")
        self.changed.emit()

    def _show(self, settings: RuleSettings) -> None:
        self._rows = [r for r in settings.rules if r.rule_id in DOCUMENTATION_RULES]
        self._version = settings.version
        self.tree.clear()
        for row in self._rows:
            item = QTreeWidgetItem(
                [row.title, SEVERITY_WORDS.get(row.severity, row.severity), row.reason]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.rule_id)
            item.setToolTip(0, row.source)
            if row.lowered:
                item.setToolTip(2, f"{row.reason} — {row.by}, {row.at[:10]}")
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        rule = self.current_rule()
        self.lower_button.setEnabled(rule is not None and not rule.lowered)
        self.restore_button.setEnabled(rule is not None and rule.lowered)
