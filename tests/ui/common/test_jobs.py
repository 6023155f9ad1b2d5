"""The job worker: FIFO on one thread, outcomes on the GUI thread, nothing after shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from clinic_app.ui.common.jobs import SLOW_MS, JobQueue


@pytest.fixture
def jobs() -> Iterator[JobQueue]:
    queue = JobQueue("test")
    yield queue
    queue.shutdown()


def test_jobs_run_in_order_off_the_gui_thread_and_report_on_it(qtbot, jobs):
    ran: list[tuple[int, str]] = []
    told: list[tuple[int, str]] = []

    def job(n: int):
        def run() -> int:
            ran.append((n, threading.current_thread().name))
            return n

        return run

    for n in range(5):
        jobs.submit(job(n), lambda r: told.append((r, threading.current_thread().name)))
    assert jobs.pending == 5
    with qtbot.waitSignal(jobs.idle):
        pass
    assert [n for n, _ in ran] == [0, 1, 2, 3, 4]
    assert len({name for _, name in ran}) == 1  # one worker thread...
    assert ran[0][1] != threading.main_thread().name  # ...not the GUI thread
    assert told == [(n, threading.main_thread().name) for n in range(5)]


def test_an_error_reaches_its_callback_and_call_raises_it(qtbot, jobs):
    def broken() -> None:
        raise ValueError("no")

    errors: list[Exception] = []
    jobs.submit(broken, on_error=errors.append)
    with qtbot.waitSignal(jobs.idle):
        pass
    assert [str(e) for e in errors] == ["no"]
    with pytest.raises(ValueError, match="no"):
        jobs.call(broken)
    assert jobs.call(lambda: 42) == 42


def test_a_slow_job_reports_its_progress_then_clears_it(qtbot, jobs):
    gate = threading.Event()
    texts: list[str] = []
    jobs.progress_changed.connect(texts.append)
    jobs.submit(lambda: gate.wait(10), progress="Saving…")
    with qtbot.waitSignal(jobs.progress_changed, timeout=SLOW_MS * 10):
        pass
    assert texts == ["Saving…"]
    gate.set()
    with qtbot.waitSignal(jobs.idle):
        pass
    assert texts == ["Saving…", ""]


def test_after_shutdown_nothing_runs_and_nothing_is_told(qtbot):
    jobs = JobQueue("closing")
    gate = threading.Event()
    started = threading.Event()
    ran: list[int] = []
    told: list[object] = []

    def first() -> int:
        started.set()
        gate.wait(10)
        ran.append(1)
        return 1

    jobs.submit(first, told.append)
    jobs.submit(lambda: ran.append(2), told.append)
    assert started.wait(10)
    threading.Timer(0.05, gate.set).start()
    jobs.shutdown()  # joins the worker: the running job ends, the queued one never runs
    assert ran == [1]
    QCoreApplication.sendPostedEvents()  # the worker is joined: any delivery is posted now
    assert told == []
    assert jobs.closed
    with pytest.raises(RuntimeError, match="shut down"):
        jobs.submit(lambda: None)
