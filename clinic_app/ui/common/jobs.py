"""Slow work off the GUI thread: one worker thread per owner, jobs run in the order given.

A job is a plain callable that calls a service. Services open their own database session
per call, so no SQLAlchemy session ever crosses threads; the job must not touch a widget
(read what it needs on the GUI thread first and close over plain values). Its result or
error comes back on the GUI thread, through a queued signal, to the callbacks given with it.

Modelled on Vorta's ``jobs_manager.py`` (STYLE.md #16): one FIFO queue and one worker per
key — for us per open encounter or front desk — so saves keep their order while the window
keeps painting. A queue that is shut down (its owner closed) runs no further job and drops
the results of the one running; :func:`shutdown_all` joins every worker at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer, Signal

log = logging.getLogger(__name__)

#: A job running longer than this shows its progress text ("Saving…").
SLOW_MS = 300
#: Longest a queue waits for its running job at shutdown before giving up on it.
JOIN_MS = 30_000

_live: set[JobQueue] = set()


@dataclass(eq=False)
class Job:
    """One unit of work and what to do with its outcome (on the GUI thread)."""

    run: Callable[[], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[Exception], None] | None = None
    progress: str = ""
    cancelled: bool = field(default=False)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it (a queued connection)."""

    finished = Signal(object, bool, object)


class _Worker(QThread):
    def __init__(self, jobs: queue.Queue[Job | None], relay: _Relay) -> None:
        super().__init__()
        self._jobs = jobs
        self._relay = relay

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job.cancelled:
                continue
            try:
                result, ok = job.run(), True
            except Exception as exc:  # delivered to on_error on the GUI thread
                result, ok = exc, False
            self._relay.finished.emit(job, ok, result)


class JobQueue(QObject):
    """A FIFO of jobs run one at a time on a worker thread.

    Signals:
        progress_changed(str): the running job's progress text once it has taken longer
            than ``SLOW_MS``; "" when the queue is idle again.
        idle(): every job submitted so far has finished (its callbacks have run).

    Attributes:
        name: for the logs.
    """

    progress_changed = Signal(str)
    idle = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._pending: list[Job] = []
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._worker: _Worker | None = None
        self._closed = False
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_MS)
        self._slow.timeout.connect(self._on_slow)
        self._showing = ""
        # The C++ side may go first (WA_DeleteOnClose): the worker must still be joined.
        worker_box: list[JobQueue] = [self]
        self.destroyed.connect(lambda *_: _shut(worker_box))

    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return len(self._pending)

    @property
    def closed(self) -> bool:
        return self._closed

    def submit(
        self,
        run: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        progress: str = "",
    ) -> Job:
        """Queue ``run``; ``on_done(result)`` or ``on_error(exc)`` follow on the GUI thread.

        Raises:
            RuntimeError: the queue was shut down (its owner closed).
        """
        if self._closed:
            raise RuntimeError(f"job queue {self.name!r} is shut down")
        job = Job(run, on_done, on_error, progress)
        self._pending.append(job)
        if self._worker is None:
            self._worker = _Worker(self._jobs, self._relay)
            _live.add(self)
            _watch_application()
            self._worker.start()
        self._jobs.put(job)
        if not self._slow.isActive() and not self._showing:
            self._slow.start()
        return job

    def call(self, run: Callable[[], Any], *, progress: str = "") -> Any:
        """Run ``run`` after every job queued before it and return its result (or raise).

        The GUI keeps painting meanwhile: this waits in a local event loop.
        """
        outcome: list[tuple[bool, Any]] = []
        self.submit(
            run,
            lambda result: outcome.append((True, result)),
            lambda exc: outcome.append((False, exc)),
            progress=progress,
        )
        self.wait_idle()
        if not outcome:
            raise RuntimeError(f"job queue {self.name!r} was shut down before the job ran")
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    def wait_idle(self) -> None:
        """Process events until every pending job has finished (nothing lost on close)."""
        if not self._pending:
            return
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        try:
            loop.exec()
        finally:
            self.idle.disconnect(loop.quit)

    def shutdown(self) -> None:
        """Cancel what has not started, drop what is running, and join the worker."""
        self._closed = True
        waiting = bool(self._pending)
        for job in self._pending:
            job.cancelled = True
        self._pending.clear()
        with contextlib.suppress(RuntimeError):  # the C++ side may be gone already
            self._slow.stop()
            if waiting:
                self.idle.emit()  # a local loop waiting in wait_idle() must not hang
        _shut([self])

    def _join(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        self._jobs.put(None)
        if not worker.wait(JOIN_MS):
            log.error("Job queue %s: a job did not finish in time", self.name)
        _live.discard(self)

    def _on_finished(self, job: Job, ok: bool, result: Any) -> None:
        if job.cancelled or job not in self._pending:
            return  # its owner closed: nobody is left to tell
        self._pending.remove(job)
        try:
            if ok and job.on_done is not None:
                job.on_done(result)
            elif not ok:
                if job.on_error is None:
                    log.error("Job failed in %s", self.name, exc_info=result)
                else:
                    job.on_error(result)
        finally:
            if not self._pending:
                self._slow.stop()
                if self._showing:
                    self._showing = ""
                    self.progress_changed.emit("")
                self.idle.emit()
            elif not self._showing:
                self._slow.start()

    def _on_slow(self) -> None:
        if self._pending:
            text = self._pending[0].progress
            if text:
                self._showing = text
                self.progress_changed.emit(text)


def _shut(box: list[JobQueue]) -> None:
    jobs = box[0]
    jobs._closed = True
    for job in jobs._pending:
        job.cancelled = True
    jobs._join()


def wait_all_idle() -> None:
    """Process events until every live queue has finished its pending jobs (scripts, tests)."""
    for jobs in list(_live):
        if not jobs.closed:
            jobs.wait_idle()


def shutdown_all() -> None:
    """Join every worker still running (application exit, test teardown)."""
    for jobs in list(_live):
        with contextlib.suppress(RuntimeError):
            jobs.shutdown()
        _shut([jobs])


_watching = False


def _watch_application() -> None:
    global _watching
    if _watching:
        return
    _watching = True
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(shutdown_all)


atexit.register(shutdown_all)
