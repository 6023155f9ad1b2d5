"""Issue 10 §5: the log files and the audit trail never hold a patient's name or a password.

A patient with a distinctive name is registered, charted, shown in the GUI and printed
through the services and both headless commands, with wrong passwords, a refusal and a
database error along the way; then every file in the log folder and every audit row is
searched.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_app.cli import LOG_FILE, log_to_file, main
from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Role, Side
from clinic_app.domain.errors import ClinicError, PermissionDenied, ValidationError
from clinic_app.services.dto import EncounterInput, PatientInput, SiteDraft, SiteInput
from clinic_app.storage.location import log_dir
from clinic_app.ui.front_desk.window import FrontDeskWindow
from clinic_app.ui.main_window import MainWindow
from tests.factories import PASSWORD, add_user, sign_in_as

GIVEN, FAMILY = "Zebulon", "Quixotic-Ünalan"
WRONG_PASSWORD = "Zebulon wrong secret password"


def test_no_log_file_or_audit_row_names_the_patient_or_a_password(
    qtbot, services, ui_engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, admin
) -> None:
    path = log_to_file()
    assert path == log_dir() / LOG_FILE
    patient = services.patients.create(
        PatientInput("ZQ-1", GIVEN, FAMILY, date(1971, 4, 5), allergies="latex")
    )
    encounter = services.encounters.create(patient.id, admin.id)
    figure = default_bodymap()[FigureView.for_site(View.POSTERIOR, Side.RIGHT)]
    region = figure.region("trapezius_upper", Side.RIGHT)
    assert region is not None
    x, y = figure.normalise(*figure.standard_point(region))
    site = SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, x, y)
    saved = services.encounters.save_draft(
        encounter.id, encounter.version, EncounterInput(), [SiteDraft(site, ())]
    )
    assert services.notes.render_note(encounter.id).startswith(b"%PDF")
    services.documents.render_handout(encounter.id, language=Language.ENGLISH)
    services.documents.record_print(encounter.id, Language.ENGLISH, copies=1)
    with pytest.raises(ClinicError):  # a stale version: refused, and logged as such
        services.encounters.save_draft(encounter.id, encounter.version, EncounterInput(), [])
    assert saved.version != encounter.version

    # The GUI shows the patient in the list and on the front desk's day.
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.search_box.setText(FAMILY)
    window.run_search()
    assert window.select_patient(patient.id)
    desk = FrontDeskWindow(services)
    qtbot.addWidget(desk)
    desk.refresh()

    # A front-desk user is refused clinical work; a wrong password is typed.
    desk_user = add_user(services, "fdesk", "Fran Desk", Role.FRONT_DESK)
    sign_in_as(services, desk_user)
    with pytest.raises(PermissionDenied):
        services.checks.sign(encounter.id, saved.version, EncounterInput(), [], {})
    services.actor.sign_out()
    with pytest.raises(ValidationError):
        services.clinic.authenticate("fdesk", WRONG_PASSWORD)

    # Both headless commands, signed in with the password on standard input.
    url = str(ui_engine.url)
    for command, user in (("note", "aruiz"), ("handout", "fdesk")):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        out = tmp_path / f"{command}.pdf"
        argv = [command, str(encounter.id), "--out", str(out), "--db", url]
        assert main([*argv, "--user", user, "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(WRONG_PASSWORD + "\n"))
    assert main([*argv, "--user", "fdesk", "--password-stdin"]) == 2

    logs = [p for p in log_dir().rglob("*") if p.is_file()]
    written = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    assert "permission denied" in written  # the log is really written to
    with ui_engine.connect() as conn:
        audit = "\n".join(
            " ".join(map(str, row)) for row in conn.execute(text("SELECT * FROM audit_event"))
        )
    assert "encounter.note" in audit
    assert "handout.print" in audit
    for where, content in (("log files", written), ("audit trail", audit)):
        for secret in (GIVEN, FAMILY, "Quixotic", "Ünalan", PASSWORD, WRONG_PASSWORD):
            assert secret.lower() not in content.lower(), f"{secret!r} is in the {where}"
