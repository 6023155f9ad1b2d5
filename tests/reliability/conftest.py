"""Fixtures of the reliability tests: their length, the figures they report, fresh databases
on both backends, and writer processes.

``CLINIC_APP_RELIABILITY=long`` (``make reliability``) runs the long version; by default the
short, bounded one runs with the rest of ``make test``. Each test records its figures; they
are printed at the end of the run and, with ``CLINIC_APP_RELIABILITY_FIGURES=FILE``, written
to that file as JSON (for docs/reliability.md).
"""

from __future__ import annotations

import glob
import json
import os
import platform
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.app import open_services
from clinic_app.services.container import AppServices
from clinic_app.storage.engine import make_engine, make_sessionmaker
from tests.conftest import missing_service, pg_url
from tests.reliability.workload import ClinicFacts, Ledger, prepare_clinic

ROOT = Path(__file__).resolve().parents[2]
MODE_ENV = "CLINIC_APP_RELIABILITY"
FIGURES_ENV = "CLINIC_APP_RELIABILITY_FIGURES"
_FIGURES: dict[str, dict[str, object]] = {}


def long_run() -> bool:
    return os.environ.get(MODE_ENV, "short").lower() == "long"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "reliability: kills, concurrent writers, a full disk, a stopped server "
        f"(short by default; {MODE_ENV}=long or `make reliability` for the long run)",
    )


@pytest.hookimpl(tryfirst=True)  # marked before `-m reliability` selects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    terminalreporter.section(f"reliability figures ({'long' if long_run() else 'short'} run)")
    for name, values in _FIGURES.items():
        terminalreporter.write_line(f"{name}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    target = os.environ.get(FIGURES_ENV)
    if target:
        report = {"mode": "long" if long_run() else "short", "machine": machine(), **_FIGURES}
        Path(target).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        terminalreporter.write_line(f"written to {target}")


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    servers = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    postgres = ""
    if servers:
        result = subprocess.run(
            [servers[-1], "--version"], capture_output=True, text=True, check=False
        )
        postgres = result.stdout.strip()
    return {
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "postgresql": postgres,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> dict[str, object]:
    """This test's figures (a dict it fills), reported at the end of the run."""
    values: dict[str, object] = {}
    _FIGURES[request.node.name] = values
    return values


@pytest.fixture
def audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One audit key file for the test and every writer process it starts."""
    path = tmp_path / "audit.key"
    monkeypatch.setenv("CLINIC_APP_AUDIT_KEY", str(path))
    return path


@dataclass
class Clinic:
    """A migrated database with a clinic set up, and the app's services on it (signed in).

    Attributes:
        url: the database URL a writer process opens.
        facts: what a writer charts with.
        services: the services this test (the "app") uses.
        path: the SQLite file, ``None`` on PostgreSQL.
    """

    url: str
    facts: ClinicFacts
    services: AppServices
    path: Path | None = None


def _clinic(url: str, path: Path | None) -> Clinic:
    services = open_services(url)
    facts = prepare_clinic(services)
    return Clinic(url, facts, services, path)


@contextmanager
def reading(url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on ``url`` for the test's own reads of what was stored."""
    engine = make_engine(url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


def random_seed() -> int:
    """``CLINIC_APP_RELIABILITY_SEED`` to replay a run, else a new one (each test reports its
    seed in its figures)."""
    given = os.environ.get("CLINIC_APP_RELIABILITY_SEED")
    return int(given) if given else random.SystemRandom().randrange(1, 1_000_000)


@pytest.fixture
def sqlite_clinic(tmp_path: Path, audit_key: Path) -> Iterator[Clinic]:
    path = tmp_path / "clinic.sqlite3"
    clinic = _clinic(f"sqlite:///{path}", path)
    yield clinic
    clinic.services.close()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on the test server (next to ``CLINIC_APP_TEST_PG_URL``'s),
    dropped afterwards: writer processes cannot share the other tests' rolled-back
    transaction."""
    base = make_url(pg_url())
    name = f"{base.database}_rel_{request.node.name.split('[')[0][-30:]}".lower()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
    except OperationalError as exc:
        admin.dispose()
        missing_service(f"PostgreSQL at {base.render_as_string()} is unreachable: {exc.orig}")
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def pg_clinic(pg_database: str, audit_key: Path) -> Iterator[Clinic]:
    clinic = _clinic(pg_database, None)
    yield clinic
    clinic.services.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def clinic(request: pytest.FixtureRequest) -> Clinic:
    """A clinic on each backend in turn."""
    fixture = "sqlite_clinic" if request.param == "sqlite" else "pg_clinic"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


class Writer:
    """A writer process (:mod:`tests.reliability.child`) and the lines it printed.

    Its output is read on a thread as it comes, so a kill loses nothing already printed.
    """

    def __init__(
        self,
        clinic: Clinic,
        tag: str,
        seed: int,
        stderr: Path,
        *,
        writes: int = 0,
        wait_go: bool = False,
    ) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        args = [sys.executable, "-m", "tests.reliability.child", clinic.url, clinic.facts.to_json()]
        args += ["--tag", tag, "--seed", str(seed), "--writes", str(writes)]
        if wait_go:
            args.append("--wait-go")
        self.stderr_path = stderr
        self._stderr = stderr.open("w")
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith('{"event": "ready"'):
                self.ready.set()
        self.ready.set()  # ended without being ready: wait_ready reports it

    def wait_ready(self, timeout: float = 60) -> None:
        if not self.ready.wait(timeout) or self.proc.poll() is not None:
            self.finish(timeout=10)
            raise AssertionError(f"writer did not start:\n{self.errors()}")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float) -> int:
        """Wait for the process and its output; the exit code."""
        try:
            code = self.proc.wait(timeout)
        finally:
            self._reader.join(timeout)
            self._stderr.close()
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()
        return code

    def kill(self) -> int:
        self.proc.kill()
        return self.finish(timeout=30)

    def errors(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def close(self) -> None:
        """Kill the process if it still runs and release its pipes (test teardown)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.finish(timeout=30)
        if self.proc.stdout:
            self.proc.stdout.close()

    def ledger(self, into: Ledger | None = None) -> Ledger:
        ledger = into or Ledger()
        ledger.add_lines(self.lines)
        return ledger


WriterFactory = Callable[..., Writer]


@pytest.fixture
def writers(tmp_path: Path) -> Iterator[WriterFactory]:
    """``writers(clinic, tag, seed, writes=0, wait_go=False)`` starts a writer process; any
    still running at the end of the test is killed."""
    started: list[Writer] = []

    def start(clinic: Clinic, tag: str, seed: int, **kw: Any) -> Writer:
        writer = Writer(clinic, tag, seed, tmp_path / f"writer-{tag}.err", **kw)
        started.append(writer)
        return writer

    yield start
    for writer in started:
        writer.close()
