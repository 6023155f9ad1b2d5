"""A throw-away PostgreSQL server for the tests that stop and start one.

The shared test server (``CLINIC_APP_TEST_PG_URL``) is never stopped: these tests make their
own cluster with ``initdb`` in a temporary folder, on a free port, listening on 127.0.0.1
only with ``trust`` authentication, and remove it afterwards. PostgreSQL refuses to run as
root, so under root (CI) the server runs as the ``postgres`` account the Debian package
creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import missing_service

USER = "clinic"
DATABASE = "clinic"


def server_binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (Debian keeps them off the PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.insert(0, found)
    for candidate in candidates:
        folder = Path(candidate).resolve().parent
        if (folder / "initdb").exists():
            return folder
    missing_service(
        "PostgreSQL's server programs (initdb, pg_ctl) are missing: install them with "
        "`sudo apt-get install postgresql`"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowAwayCluster:
    """``initdb`` + ``pg_ctl`` in a temporary folder; :meth:`stop` and :meth:`start` at will.

    Attributes:
        url: the clinic database's URL on this server.
    """

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                missing_service(
                    "running as root and there is no `postgres` account to run a server"
                )
            self.run_as = "postgres"
        self.folder = Path(tempfile.mkdtemp(prefix="clinic-rel-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.port = free_port()
        self.url = f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{DATABASE}"
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
            "--no-sync",
        )
        # fsync and synchronous_commit keep their defaults (on), as on a clinic's server.
        self._options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        result = subprocess.run(
            command,
            user=self.run_as,
            group=self.run_as,
            extra_groups=[] if self.run_as else None,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{program} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                + (self.log.read_text(errors="replace") if self.log.exists() else "")
            )

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options, "-w", "start"
        )

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server: ``immediate`` is a crash (no checkpoint, recovery at the next
        start), ``fast`` an administrator's shutdown."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(AssertionError):
                self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
