"""Backups in the main window: File → Back up now…, Restore from backup…, Backup settings…,
the status bar's "Last backup" field with its progress bar, and the automatic daily backup.

Every backup and restore runs on a worker thread (``ui/common/jobs.py``): the window keeps
painting and the progress bar moves. The commands are the administrator's (the permission
matrix shows them; the service refuses anyone else). The automatic backup is the app's own:
it runs on any workstation whose settings have it on, whoever is signed in (or at the lock
screen), and the service audits it as a system action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QProgressBar

from clinic_app.domain import clock
from clinic_app.domain.backup_schedule import is_due, status
from clinic_app.domain.errors import ClinicError
from clinic_app.services import backup_settings
from clinic_app.services.backup import BackupSummary, RestoreSummary, suggested_name
from clinic_app.ui.common import icons, messages, theme
from clinic_app.ui.common.chrome import make_action
from clinic_app.ui.common.jobs import JobQueue

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: How often the app checks whether the daily backup is due (and refreshes the field).
CHECK_MS = 60 * 60 * 1000
#: The first check after start, once the window is up.
FIRST_CHECK_MS = 2 * 60 * 1000
FILE_FILTER = "clinic_app backups (*.clinic-backup);;All files (*)"


class _Relay(QObject):
    """Carries the worker thread's progress to the GUI thread (a queued connection)."""

    moved = Signal(str, int, int)


class BackupController(QObject):
    """The main window's backup commands, status field and daily timer.

    Signals:
        backup_finished(BackupSummary): a backup (by hand or automatic) was written.
        backup_failed(str): a backup failed; the text says why.
        restore_finished(RestoreSummary): a restore is done (the window closes next).
        restore_refused(): a restore that had begun was refused; nothing was changed.

    Attributes:
        back_up_action, restore_action, settings_action: the File menu's commands.
        status_label: "Last backup …" in the status bar (red after two days).
        progress_bar: shown while a backup or restore runs.
        jobs: the worker thread's queue.
        timer: the hourly check for the daily backup.
    """

    backup_finished = Signal(object)
    backup_failed = Signal(str)
    restore_finished = Signal(object)
    restore_refused = Signal()

    def __init__(
        self,
        services: AppServices,
        window: QMainWindow,
        *,
        before_restore: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._before_restore = before_restore
        self.back_up_action = make_action(
            window, "&Back up now…", self.on_back_up_now, None,
            "Write a copy of the whole database to a file (administrators)",
        )  # fmt: skip
        self.restore_action = make_action(
            window, "Rest&ore from backup…", self.on_restore, None,
            "Replace the database with a backup file (administrators)",
        )  # fmt: skip
        self.settings_action = make_action(
            window, "Backup se&ttings…", self.on_settings, None,
            "This workstation's backup folder and how many daily backups to keep",
        )  # fmt: skip
        icons.apply(self.back_up_action, "back_up")
        icons.apply(self.restore_action, "restore")
        icons.apply(self.settings_action, "backup_settings")
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Last backup")
        self.status_label.setContentsMargins(6, 0, 6, 0)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Backup progress")
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        bar = window.statusBar()
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.VLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        bar.addPermanentWidget(rule)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.status_label)
        self._relay = _Relay(self)
        self._relay.moved.connect(self.on_progress)
        self.jobs = JobQueue("backup", self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.run_automatic_if_due)
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self, self.run_automatic_if_due)
        self.refresh_status()

    def actions(self) -> list[QAction]:
        return [self.back_up_action, self.restore_action, self.settings_action]

    @property
    def busy(self) -> bool:
        return self.jobs.pending > 0

    # ------------------------------------------------------------------ status
    def refresh_status(self) -> None:
        """Show the last successful backup on this workstation (red when too old)."""
        settings = backup_settings.load_settings()
        shown = status(
            settings.last_backup_at,
            clock.now(),
            enabled=settings.automatic_for(self._services.is_sqlite),
        )
        self.status_label.setText(shown.text)
        theme.mark_danger(self.status_label, shown.warning)
        self.status_label.setProperty("warning", shown.warning)
        where = settings.last_backup_file or "none yet"
        advice = "\nBack up now: File → Back up now… (administrators)" if shown.warning else ""
        self.status_label.setToolTip(
            f"Last backup: {where}\nBackup folder: {settings.folder}{advice}"
        )

    def on_progress(self, stage: str, done: int, total: int) -> None:
        self.progress_bar.show()
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, max(total, 1)))
        self.progress_bar.setFormat(f"{stage} %p%")

    def _start(self, text: str) -> None:
        self.on_progress(text, 0, 0)
        self._window.statusBar().showMessage(text)

    def _stop(self) -> None:
        self.progress_bar.hide()
        self._window.statusBar().clearMessage()

    # ------------------------------------------------------------------ backing up
    def on_back_up_now(self) -> None:
        """Ask where, then write the backup on the worker thread."""
        if self.busy:
            return
        folder = backup_settings.load_settings().folder
        suggested = str(folder / suggested_name(clock.now()))
        chosen = messages.ask_save_file(
            self._window, "Back up the database", suggested, FILE_FILTER
        )
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix != ".clinic-backup":
            out = out.with_name(out.name + ".clinic-backup")
        backups, relay = self._services.backups, self._relay
        self._start("Backing up…")
        self.jobs.submit(
            lambda: backups.back_up(out, relay.moved.emit),
            self._on_backed_up,
            self._on_backup_error,
            progress="Backing up…",
        )

    def run_automatic_if_due(self) -> bool:
        """Start the daily backup when it is due and on for this workstation; True if started."""
        self.refresh_status()
        settings = backup_settings.load_settings()
        if self.busy or not settings.automatic_for(self._services.is_sqlite):
            return False
        if not is_due(settings.last_backup_at, clock.now()):
            return False
        backups, relay = self._services.backups, self._relay
        folder, keep = settings.folder, settings.keep
        self._start("Automatic backup…")
        self.jobs.submit(
            lambda: backups.automatic_backup(folder, keep, relay.moved.emit),
            self._on_backed_up,
            self._on_automatic_error,
        )
        return True

    def _on_backed_up(self, summary: BackupSummary) -> None:
        self._stop()
        self.refresh_status()
        self._window.statusBar().showMessage(
            f"Backup written to {summary.path} ({summary.rows} rows, {summary.seconds:.1f} s).",
            10_000,
        )
        self.backup_finished.emit(summary)

    def _on_backup_error(self, exc: Exception) -> None:
        self._stop()
        self.refresh_status()
        self.backup_failed.emit(str(exc))
        if not isinstance(exc, ClinicError):
            raise exc
        messages.show_error(self._window, "Backup failed", exc)

    def _on_automatic_error(self, exc: Exception) -> None:
        # No dialog for the app's own background job: the field says it, in red.
        self._stop()
        self.refresh_status()
        self.status_label.setText(f"⚠ Automatic backup failed: {exc}")
        theme.mark_danger(self.status_label)
        self.backup_failed.emit(str(exc))

    # ------------------------------------------------------------------ restoring
    def on_restore(self) -> None:
        """Choose a file, check it (off the GUI thread), confirm, restore, then close."""
        if self.busy:
            return
        chosen = messages.ask_open_file(self._window, "Restore from backup", FILE_FILTER)
        if not chosen:
            return
        backups = self._services.backups
        path = Path(chosen)
        self._start("Checking the backup…")
        self.jobs.submit(lambda: backups.inspect(path), self._on_inspected, self._on_restore_error)

    def _on_inspected(self, summary: BackupSummary) -> None:
        self._stop()
        counts = summary.counts
        what = (
            f"{summary.path.name}: taken {summary.created_at:%Y-%m-%d %H:%M} UTC by "
            f"clinic_app {summary.app_version}; patients: {counts.get('patient', 0)}, "
            f"encounters: {counts.get('encounter', 0)}. The file checks out "
            "(integrity, checksum, row counts)."
        )
        if not messages.confirm_restore(self._window, what) or not self._before_restore():
            return
        backups, relay = self._services.backups, self._relay
        folder = backup_settings.load_settings().folder
        path = summary.path
        self._start("Restoring…")
        self.jobs.submit(
            lambda: backups.restore(path, folder, relay.moved.emit),
            self._on_restored,
            self._on_restore_error,
        )

    def _on_restored(self, done: RestoreSummary) -> None:
        self._stop()
        kept = (
            f"\n\nThe database as it was is kept at {done.safety_copy}." if done.safety_copy else ""
        )
        messages.inform(
            self._window,
            "Restore finished",
            f"Restored {done.rows} rows from {done.backup.path.name} in {done.seconds:.1f} s.{kept}"
            "\n\nclinic_app closes now; start it again to sign in to the restored database.",
        )
        self.restore_finished.emit(done)
        self._window.close()

    def _on_restore_error(self, exc: Exception) -> None:
        self._stop()
        self.restore_refused.emit()
        if not isinstance(exc, ClinicError):
            raise exc
        messages.show_error(self._window, "Restore refused", exc)

    # ------------------------------------------------------------------ settings
    def on_settings(self) -> None:
        from clinic_app.ui.admin.backup_settings_dialog import BackupSettingsDialog

        dialog = BackupSettingsDialog(self._services, self._window)
        dialog.saved.connect(lambda _settings: self.refresh_status())
        dialog.open()
