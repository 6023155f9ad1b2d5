"""`clinic-app handout` and `note`: documents saved as PDF from a real SQLite file, by a
user who signs in (``--user`` and the password on standard input here)."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from clinic_app.cli import main
from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Role, Side
from clinic_app.domain.handout_texts import default_texts
from clinic_app.services.base import Actor
from clinic_app.services.clinic import ClinicService
from clinic_app.services.documents import DocumentService
from clinic_app.services.dto import (
    ClinicProfileData,
    EncounterInput,
    NewUser,
    PatientInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.services.encounters import EncounterService
from clinic_app.services.patients import PatientService
from clinic_app.services.users import UserService
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url

PASSWORD = "correct horse battery"
#: Who runs the commands in these tests: the provider-administrator "doc".
AS_DOC = ["--user", "doc", "--password-stdin"]


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    """The password arrives on standard input (``--password-stdin``), a line per run."""
    monkeypatch.setattr(sys, "stdin", io.StringIO((PASSWORD + "\n") * 3))


def seeded(tmp_path: Path) -> tuple[Path, int]:
    """A database file with one Spanish-speaking patient's neck encounter."""
    path = tmp_path / "clinic.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    actor = Actor()
    _, admin = ClinicService(sessions, actor).initialize(
        ClinicProfileData(name="Riverside Pain Clinic", phone="(555) 010-2000"),
        NewUser("doc", "Ana Ruiz", PASSWORD, frozenset({Role.ADMIN}), "MD"),
    )
    patient = PatientService(sessions, actor).create(
        PatientInput("P1", "Zoë", "O'Brien", date(1980, 2, 3), preferred_language=Language.SPANISH)
    )
    users = UserService(sessions, actor)
    for username, name, role in (
        ("desk", "Fran Desk", Role.FRONT_DESK),
        ("nurse", "Nora Nurse", Role.NURSE),
        ("keeper", "Kim Keeper", Role.ADMIN),
    ):
        users.create_user(NewUser(username, name, PASSWORD, frozenset({role})))
    with sessions.begin() as session:  # as after each one's first sign-in in the app
        session.execute(text("UPDATE app_user SET must_change_password = false"))
    encounters = EncounterService(sessions, actor)
    enc = encounters.create(patient.id, admin.id)
    figure = default_bodymap()[FigureView.for_site(View.POSTERIOR, Side.RIGHT)]
    region = figure.region("trapezius_upper", Side.RIGHT)
    assert region is not None
    x, y = figure.normalise(*figure.standard_point(region))
    encounters.save_draft(
        enc.id,
        enc.version,
        EncounterInput(),
        [SiteDraft(SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, x, y), ())],
    )
    engine.dispose()
    return path, enc.id


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def print_log(db: Path, encounter_id: int) -> list[tuple[Language, int]]:
    engine = make_engine(sqlite_url(db))
    try:
        sessions, actor = make_sessionmaker(engine), Actor()
        ClinicService(sessions, actor).authenticate("doc", PASSWORD)
        log = DocumentService(sessions, actor).print_log(encounter_id)
        return [(r.language, r.copies) for r in log]
    finally:
        engine.dispose()


def test_handout_writes_the_patients_language_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "handout.pdf"
    assert main(["handout", str(eid), "--out", str(out), "--db", str(db), *AS_DOC]) == 0
    assert "not signed yet" in capsys.readouterr().out
    text = text_of(out)
    es = default_texts(Language.SPANISH)
    assert es.text("block.emergency.heading") in text
    assert es.text("block.what_to_expect.heading") in text
    assert "Zoë O'Brien" in text
    assert print_log(db, eid) == [(Language.SPANISH, 1)]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_handout_language_and_large_print_options(tmp_path: Path) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "en.pdf"
    args = ["--db", str(db), "handout", str(eid), "--out", str(out), "--lang", "en"]
    assert main([*args, "--large-print", *AS_DOC]) == 0
    text = text_of(out)
    assert default_texts(Language.ENGLISH).text("block.what_to_expect.heading") in text
    assert default_texts(Language.SPANISH).text("block.what_to_expect.heading") not in text
    assert print_log(db, eid) == [(Language.ENGLISH, 1)]


def test_an_unknown_encounter_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = seeded(tmp_path)
    out = tmp_path / "x.pdf"
    assert main(["handout", "9999", "--out", str(out), "--db", str(db), *AS_DOC]) == 2
    assert "No encounter with id 9999" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_database_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "typo.sqlite3"
    assert main(["handout", "1", "--out", str(tmp_path / "x.pdf"), "--db", str(db), *AS_DOC]) == 2
    assert "No database" in capsys.readouterr().err
    assert not db.exists()


def test_an_unwritable_out_path_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    missing = tmp_path / "no" / "such" / "folder" / "h.pdf"
    assert main(["handout", str(eid), "--out", str(missing), "--db", str(db), *AS_DOC]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["handout", str(eid), "--out", str(tmp_path), "--db", str(db), *AS_DOC]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert print_log(db, eid) == []


def test_a_failed_rename_keeps_the_old_file_and_logs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    out.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("clinic_app.cli.os.replace", refuse)
    assert main(["handout", str(eid), "--out", str(out), "--db", str(db), *AS_DOC]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in out.parent.iterdir()) == ["h.pdf"]
    assert print_log(db, eid) == []


def test_the_handout_command_does_not_import_qt(tmp_path: Path) -> None:
    import subprocess

    db, eid = seeded(tmp_path)
    out = tmp_path / "h.pdf"
    code = (
        "import sys; from clinic_app.cli import main; "
        f"rc = main(['handout', '{eid}', '--out', {str(out)!r}, '--db', {str(db)!r}, "
        "'--user', 'doc', '--password-stdin']); "
        "assert rc == 0, rc; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=Path(__file__).parents[1],
        input=PASSWORD + "\n",
        text=True,
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_note_command_writes_a_draft_procedure_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "note.pdf"
    assert main(["note", str(eid), "--out", str(out), "--db", str(db), *AS_DOC]) == 0
    assert "marked DRAFT" in capsys.readouterr().out
    text = text_of(out)
    assert "Trigger point procedure note" in text
    assert "DRAFT" in text
    assert main(["note", "9999", "--out", str(tmp_path / "n.pdf"), "--db", str(db), *AS_DOC]) == 2
    assert "9999" in capsys.readouterr().err


def audit_trail(db: Path) -> list[tuple[str, int | None, int | None]]:
    """(action, user id, patient id) of every audit row, oldest first."""
    engine = make_engine(sqlite_url(db))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT action, user_id, patient_id FROM audit_event ORDER BY id")
            )
            return [(a, u, p) for a, u, p in found]
    finally:
        engine.dispose()


def user_id(db: Path, username: str) -> int:
    engine = make_engine(sqlite_url(db))
    try:
        with engine.connect() as conn:
            found = conn.scalar(
                text("SELECT id FROM app_user WHERE username = :name"), {"name": username}
            )
            assert isinstance(found, int)
            return found
    finally:
        engine.dispose()


def test_documents_are_audited_under_the_signed_in_user(tmp_path: Path) -> None:
    db, eid = seeded(tmp_path)
    before = len(audit_trail(db))
    assert main(["note", str(eid), "--out", str(tmp_path / "n.pdf"), "--db", str(db), *AS_DOC]) == 0
    args = ["handout", str(eid), "--out", str(tmp_path / "h.pdf"), "--db", str(db)]
    assert main([*args, "--user", "desk", "--password-stdin"]) == 0
    doc, desk = user_id(db, "doc"), user_id(db, "desk")
    new = audit_trail(db)[before:]
    patient = new[1][2]
    assert patient is not None
    assert new == [
        ("auth.sign_in", doc, None),
        ("encounter.note", doc, patient),
        ("auth.sign_in", desk, None),
        ("handout.read", desk, patient),  # the handout was made from the chart...
        ("handout.print", desk, patient),  # ...and printed
    ]


def test_each_user_may_do_what_their_roles_allow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "n.pdf"
    base = ["note", str(eid), "--out", str(out), "--db", str(db), "--password-stdin"]
    assert main([*base, "--user", "desk"]) == 0  # front desk prints notes
    assert main([*base, "--user", "nurse"]) == 0
    out.unlink()
    assert main([*base, "--user", "keeper"]) == 2  # an administrator-only account may not
    err = capsys.readouterr().err
    assert "does not allow you to print a procedure note" in err
    assert not out.exists()
    assert ("permission.denied", user_id(db, "keeper"), None) in audit_trail(db)


def test_a_wrong_password_or_no_user_reads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    out = tmp_path / "h.pdf"
    args = ["handout", str(eid), "--out", str(out), "--db", str(db)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("not the password at all\n"))
    assert main([*args, "--user", "doc", "--password-stdin"]) == 2
    assert "sign-in refused" in capsys.readouterr().err
    assert audit_trail(db)[-1] == ("auth.failed", user_id(db, "doc"), None)
    monkeypatch.delenv("CLINIC_APP_USER", raising=False)
    assert main([*args, "--password-stdin"]) == 2
    assert "--user NAME" in capsys.readouterr().err
    # Not a terminal and no --password-stdin: no way to ask, so a clear error (no hang).
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main([*args, "--user", "doc"]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert not out.exists()
    assert print_log(db, eid) == []


def test_the_user_may_come_from_the_environment_and_the_password_from_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, eid = seeded(tmp_path)
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setenv("CLINIC_APP_USER", "desk")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("clinic_app.cli_sign_in.getpass.getpass", typed)
    out = tmp_path / "h.pdf"
    assert main(["handout", str(eid), "--out", str(out), "--db", str(db)]) == 0
    assert asked == ["Password for desk: "]
    assert out.read_bytes().startswith(b"%PDF")


def test_a_reset_password_must_be_changed_in_the_app_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, eid = seeded(tmp_path)
    engine = make_engine(sqlite_url(db))
    sessions, actor = make_sessionmaker(engine), Actor()
    ClinicService(sessions, actor).authenticate("doc", PASSWORD)
    users = UserService(sessions, actor)
    desk = next(u for u in users.accounts() if u.username == "desk")
    users.reset_password(desk.id, PASSWORD, expected_version=desk.version)
    engine.dispose()
    out = tmp_path / "h.pdf"
    args = ["handout", str(eid), "--out", str(out), "--db", str(db)]
    assert main([*args, "--user", "desk", "--password-stdin"]) == 2
    assert "choose your own first" in capsys.readouterr().err
    assert not out.exists()
