"""Noticing that nobody has touched the workstation for a while (issue 10 §3).

:class:`IdleMonitor` watches every keyboard and mouse event the application receives (an
event filter on the ``QApplication``, so every window counts, dialogs included) and says
``idle`` once none came for the clinic's number of minutes. Time comes from an injectable
clock and the check runs on a coarse timer, so tests move the clock and call
:meth:`IdleMonitor.check` instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

#: The events that count as someone at the keyboard or mouse.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
#: How often the monitor looks at the clock: a lock comes at most this late.
CHECK_INTERVAL_MS = 5_000


class IdleMonitor(QObject):
    """Emits ``idle`` once no keyboard or mouse input came for ``timeout_s`` seconds.

    Signals:
        idle(): the time ran out; the monitor pauses itself until :meth:`resume`.

    Attributes:
        check_timer: fires every :data:`CHECK_INTERVAL_MS` and calls :meth:`check`.
    """

    idle = Signal()

    def __init__(
        self,
        timeout_s: float,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_s = timeout_s
        self._last = clock()
        self._paused = False
        self.activity_count = 0
        self.check_timer = QTimer(self)
        self.check_timer.setInterval(CHECK_INTERVAL_MS)
        self.check_timer.timeout.connect(self.check)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.check_timer.start()

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    def set_timeout_minutes(self, minutes: int) -> None:
        """Use the clinic's setting (read again after the settings are saved)."""
        self._timeout_s = minutes * 60.0

    @property
    def paused(self) -> bool:
        return self._paused

    def idle_for(self) -> float:
        """Seconds since the last input."""
        return self._clock() - self._last

    def poke(self) -> None:
        """Someone is here: start counting again."""
        self._last = self._clock()
        self.activity_count += 1

    def pause(self) -> None:
        """Stop watching (the screen is locked already)."""
        self._paused = True

    def resume(self) -> None:
        """Watch again, counting from now."""
        self._paused = False
        self.poke()

    def check(self) -> bool:
        """Emit ``idle`` (and pause) when the time ran out; True when it did."""
        if self._paused or self.idle_for() < self._timeout_s:
            return False
        self.pause()
        self.idle.emit()
        return True

    def stop(self) -> None:
        """Stop for good (the window closes)."""
        self.check_timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and not self._paused:
            self.poke()
        return False  # only watching: every event goes on as before
