"""Live refresh: lists follow what other workstations commit, without moving under the user.

:class:`ChangeListener` runs the database's change watcher
(:class:`clinic_app.services.changes.ChangeFeed`: LISTEN/NOTIFY on PostgreSQL, a
``data_version`` poll on SQLite) on a thread of its own and hands each batch of topics to the
GUI thread as a signal. One listener serves every window of the app.

:class:`LiveRefresh` is a window's side: it calls the window's reload at a quiet moment —
not while a mouse button is down or a popup is open, not while the window says it is busy
(a search being typed), and not while the window is hidden (the lock screen), in which case
the reload waits for :meth:`LiveRefresh.poke`. :class:`ViewState` keeps the selected row and
the row at the top of the view where they were across a reload.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QThread, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView

from clinic_app.services.changes import ChangeFeed, Topic, TopicWatcher

log = logging.getLogger(__name__)

#: How long one wait of the watcher lasts (seconds): the longest a stop takes.
WAIT_SLICE_S = 0.25
#: While the user is busy (mouse down, a popup, typing), a pending reload retries this often.
BUSY_RETRY_MS = 250

_live: set[ChangeListener] = set()


class _WatchThread(QThread):
    """Drives one watcher: connect, then wait in slices until asked to stop."""

    watching = Signal()
    heard = Signal(object)

    def __init__(self, watcher: TopicWatcher) -> None:
        super().__init__()
        self._watcher = watcher

    def stop(self) -> None:
        self.requestInterruption()
        self._watcher.stop()

    def run(self) -> None:
        try:
            try:
                self._watcher.connect()
            except Exception as exc:  # the watcher retries on its own in wait()
                log.warning("change listener: cannot connect yet (%s)", type(exc).__name__)
            else:
                self.watching.emit()
            while not self.isInterruptionRequested():
                try:
                    topics = self._watcher.wait(WAIT_SLICE_S)
                except Exception:  # never let the thread die: lists would go stale silently
                    log.exception("change listener: watch failed")
                    continue
                if topics and not self.isInterruptionRequested():
                    self.heard.emit(topics)
        finally:
            self._watcher.close()


class ChangeListener(QObject):
    """Hears what other workstations commit (see the module's docstring).

    Signals:
        watching(): the listener's own connection is open: every commit from now on is
            heard (a window reloads once then, for what was committed before).
        changed(frozenset): the :class:`Topic` values committed since the last emission.
    """

    watching = Signal()
    changed = Signal(object)

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed = feed
        self._thread: _WatchThread | None = None
        box = [self]
        self.destroyed.connect(lambda *_: _stop_box(box))

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start listening (again); nothing happens when it already listens."""
        if self._thread is not None:
            return
        thread = _WatchThread(self._feed.watcher())
        thread.watching.connect(self.watching)
        thread.heard.connect(self.changed)
        self._thread = thread
        _live.add(self)
        _watch_application()
        thread.start()

    def stop(self) -> None:
        """Stop listening and join the thread (at most one wait slice)."""
        thread, self._thread = self._thread, None
        _live.discard(self)
        if thread is None:
            return
        thread.stop()
        thread.wait()


def _stop_box(box: list[ChangeListener]) -> None:
    with contextlib.suppress(RuntimeError):
        box[0].stop()


def stop_all() -> None:
    """Stop every listener still running (application exit, test teardown)."""
    for listener in list(_live):
        _stop_box([listener])


_watching = False


def _watch_application() -> None:
    global _watching
    if _watching:
        return
    app = QCoreApplication.instance()
    if app is not None:
        _watching = True
        app.aboutToQuit.connect(stop_all)


atexit.register(stop_all)  # a thread still running at exit would abort the interpreter


class LiveRefresh(QObject):
    """Calls ``reload(topics)`` when the listener hears one of ``topics``, at a quiet moment.

    Args:
        listener: the app's change listener.
        topics: the topics the window shows.
        reload: reloads the window; gets the topics heard since its last call.
        visible: whether the window is on screen (hidden: wait for :meth:`poke`).
        busy: whether the user is in the middle of something (retry shortly).

    Signals:
        reloaded(): ``reload`` ran.
    """

    reloaded = Signal()

    def __init__(
        self,
        listener: ChangeListener,
        topics: Collection[Topic],
        reload: Callable[[frozenset[Topic]], None],
        *,
        visible: Callable[[], bool],
        busy: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._topics = frozenset(topics)
        self._reload = reload
        self._visible = visible
        self._busy = busy
        self._pending: set[Topic] = set()
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(BUSY_RETRY_MS)
        self._retry.timeout.connect(self.poke)
        listener.changed.connect(self._on_changed)
        listener.watching.connect(lambda: self._on_changed(self._topics))

    @property
    def pending(self) -> frozenset[Topic]:
        """Topics heard but not reloaded yet."""
        return frozenset(self._pending)

    def _on_changed(self, topics: frozenset[Topic]) -> None:
        wanted = self._topics & topics
        if wanted:
            self._pending |= wanted
            self.poke()

    def poke(self) -> None:
        """Reload now if something is pending and the moment is quiet."""
        if not self._pending or not self._visible():
            return
        if self._busy() or user_is_interacting():
            self._retry.start()
            return
        topics, self._pending = frozenset(self._pending), set()
        self._reload(topics)
        self.reloaded.emit()


def user_is_interacting() -> bool:
    """A mouse button is down or a popup (a combo's list, a calendar) is open."""
    return bool(QApplication.mouseButtons().value) or QApplication.activePopupWidget() is not None


@dataclass(frozen=True, slots=True)
class ViewState:
    """Which row of a table was current and which was at the top, by a record id.

    Attributes:
        current: the current row's id (``None``: none).
        top: the id of the row at the top of the viewport (``None``: empty view).
        horizontal: the horizontal scroll position.
    """

    current: object
    top: object
    horizontal: int

    @classmethod
    def capture(cls, table: QTableView, id_role: int) -> ViewState:
        current = table.currentIndex()
        top = table.indexAt(QPoint(1, 1))
        return cls(
            current.data(id_role) if current.isValid() else None,
            top.data(id_role) if top.isValid() else None,
            table.horizontalScrollBar().value(),
        )

    def restore(self, table: QTableView, id_role: int) -> bool:
        """Make the same record current and keep the same record at the top.

        Returns:
            True when the current record is still listed (False: nothing is current).
        """
        rows: dict[object, int] = {}
        model = table.model()
        for row in range(model.rowCount()):
            rows.setdefault(model.index(row, 0).data(id_role), row)
        kept = self.current is not None and self.current in rows
        if kept:
            index = model.index(rows[self.current], 0)
            selection = table.selectionModel()
            flags = selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
            selection.setCurrentIndex(index, flags)
        if self.top in rows:
            table.scrollTo(
                model.index(rows[self.top], 0), QAbstractItemView.ScrollHint.PositionAtTop
            )
        table.horizontalScrollBar().setValue(self.horizontal)
        return kept
