"""Render the README pictures from the real windows, offscreen, on throwaway databases.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out docs/screenshots]
(`make screenshots` does exactly this). Nothing touches the user's own database.

The app's clock is stopped at :data:`SCREENSHOT_TIME` in the demo clinic's zone, so the
pictures change only when the app does, not with the day they are made on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fhir_screenshots import fhir_export_shot
from import_screenshots import import_shots
from lots_screenshots import lots_shots
from measures_screenshots import measures_shots
from progress_screenshots import progress_shots
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.app import open_services
from clinic_app.domain import clock
from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.enums import (
    Aspiration,
    Language,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.services import backup_settings
from clinic_app.services.container import AppServices
from clinic_app.services.demo import DEMO_TIMEZONE, seed_demo
from clinic_app.services.demo_names import DEMO_PASSWORD, FRONT_DESK, PROVIDERS
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from clinic_app.storage.migrate import upgrade
from clinic_app.ui.admin.audit_dialog import AuditDialog
from clinic_app.ui.admin.backup_settings_dialog import BackupSettingsDialog
from clinic_app.ui.admin.setup_dialog import SetupDialog
from clinic_app.ui.admin.sign_in_dialog import SignInDialog
from clinic_app.ui.admin.users_dialog import UsersDialog
from clinic_app.ui.common.fonts import install_fonts
from clinic_app.ui.common.jobs import wait_all_idle
from clinic_app.ui.common.theme import DARK, LIGHT, apply_theme, set_scheme
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sign_dialog import SignDialog
from clinic_app.ui.front_desk.window import FrontDeskWindow
from clinic_app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
# A Monday morning at the demo clinic (10:30 in Chicago).
SCREENSHOT_TIME = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)

# (muscle, side, technique, doses as (medication code, mL)) for the showcase encounter.
SHOWCASE = [
    ("trapezius_upper", Side.RIGHT, Technique.INJECTION, [("lidocaine_1", "1")]),
    (
        "trapezius_upper",
        Side.LEFT,
        Technique.INJECTION,
        [("lidocaine_1", "1"), ("triamcinolone_40", "0.25")],
    ),
    ("levator_scapulae", Side.RIGHT, Technique.INJECTION, [("lidocaine_1", "1")]),
    ("infraspinatus", Side.LEFT, Technique.DRY_NEEDLING, []),
    ("gluteus_medius", Side.RIGHT, Technique.INJECTION, [("bupivacaine_0_25", "2")]),
    ("quadratus_lumborum", Side.RIGHT, Technique.INJECTION, [("lidocaine_1", "1.5")]),
    ("sternocleidomastoid", Side.LEFT, Technique.INJECTION, [("lidocaine_1", "0.5")]),
    ("pectoralis_major", Side.RIGHT, Technique.DRY_NEEDLING, []),
    ("masseter", Side.RIGHT, Technique.INJECTION, [("lidocaine_1", "0.5")]),
    ("temporalis", Side.RIGHT, Technique.INJECTION, [("lidocaine_1", "0.5")]),
]


def save(widget: QWidget, path: Path, width: int = 0, height: int = 0) -> None:
    """Grab ``widget`` at the given size (its preferred size when 0) into ``path``."""
    hint = widget.sizeHint()
    widget.resize(width or hint.width(), height or hint.height())
    widget.show()
    # Let layouts settle and debounced work (the live checks run 250 ms after a change)
    # start, then let the worker threads finish (checks, handout previews) and the results
    # paint. A script, not a test: a plain wait is fine here.
    QTest.qWait(700)
    wait_all_idle()
    QTest.qWait(300)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def demo_database(folder: Path) -> str:
    url = sqlite_url(folder / "demo.sqlite3")
    engine = make_engine(url)
    upgrade(engine)
    seed_demo(make_sessionmaker(engine), seed=20261123)
    engine.dispose()
    return url


def showcase_encounter(services: AppServices, patient_id: int, provider_id: int) -> int:
    """An encounter with sites on every figure, each at its muscle's standard point."""
    bodymap = default_bodymap()
    meds = {m.code: m.id for m in services.clinic.medications()}
    lots: dict[str, int] = {}
    for code in ("lidocaine_1", "triamcinolone_40", "bupivacaine_0_25"):
        usable = services.clinic.usable_lots(meds[code])
        lots[code] = (
            usable[0].id
            if usable
            else services.clinic.add_lot(
                meds[code], f"SC-{code[:4].upper()}", clock.today() + timedelta(days=240)
            ).id
        )
    drafts = []
    for muscle, side, technique, doses in SHOWCASE:
        view = next(v for v in FigureView if bodymap[v].region(muscle, side) is not None)
        figure = bodymap[view]
        region = figure.region(muscle, side)
        assert region is not None
        nx, ny = figure.normalise(*figure.standard_point(region))
        site = SiteInput(
            muscle,
            side,
            view.catalog_view,
            nx,
            ny,
            technique=technique,
            needle_gauge=30 if technique is Technique.DRY_NEEDLING else 25,
            needle_length_in=Decimal("1.5"),
            twitch_response=TwitchResponse.LOCAL,
            aspiration=Aspiration.NOT_DONE
            if technique is Technique.DRY_NEEDLING
            else Aspiration.NEGATIVE,
            taut_band=True,
            jump_sign=True,
            referred_pain_reproduced=muscle != "gluteus_medius",
        )
        drafts.append(
            SiteDraft(
                site,
                tuple(DoseInput(meds[code], volume, lots[code]) for code, volume in doses),
            )
        )
    encounter = services.encounters.create(patient_id, provider_id)
    services.encounters.save_draft(
        encounter.id,
        encounter.version,
        SHOWCASE_FORM,
        drafts,
    )
    return encounter.id


#: A completely documented visit (every documentation check satisfied).
SHOWCASE_FORM = EncounterInput(
    indication="Myofascial pain of the neck, shoulders and low back with active trigger points",
    icd10_codes=("M79.18", "M54.2"),
    consent_obtained=True,
    time_out_done=True,
    skin_prep=SkinPrep.CHLORHEXIDINE,
    pain_before=7,
    pain_after=3,
    tolerance=Tolerance.WELL,
    needle_intact=True,
    disposition="Home ambulatory, stable",
    prior_relief_percent=60,
    prior_relief_weeks=5,
    conservative_treatment="Physical therapy for 8 weeks, home stretching, NSAIDs",
    follow_up_weeks=4,
    follow_up_plan="Repeat in 4 weeks if helpful; continue home stretching.",
    handout_note={
        "en": "Keep up the neck stretches twice a day.",
        "es": "Siga con los estiramientos del cuello dos veces al día.",
    },
)


def sign_showcase(services: AppServices, encounter_id: int) -> None:
    """Sign the showcase the way the sign dialog does, with a reason for each warning."""
    view = services.encounters.get(encounter_id)
    drafts = [s.to_draft() for s in view.sites]
    assessment = services.checks.assess_draft(encounter_id, view.form, drafts)
    reasons = {
        f.rule: "Reviewed with the patient; benefit outweighs the risk, technique adjusted"
        for f in assessment.reasons_needed
    }
    services.checks.sign(encounter_id, view.version, view.form, drafts, reasons)
    services.encounters.add_addendum(
        encounter_id,
        "Phoned the next day: soreness settled, no shortness of breath or new numbness.",
    )


def signed_editor_shot(services: AppServices, out: Path, encounter_id: int) -> None:
    """The editor of a signed visit: read-only, with its addendum."""
    editor = EncounterEditor(services, encounter_id)
    save(editor, out / "editor-signed-addendum.png", 1500, 940)
    close_editor(editor)


def close_editor(editor: EncounterEditor) -> None:
    """Close and delete the window now, as the app does (its windows are WA_DeleteOnClose).

    A closed editor left to Python's garbage collector can crash PySide on collection.
    """
    editor.close()
    editor.deleteLater()
    QTest.qWait(50)


def editor_shots(services: AppServices, out: Path, encounter_id: int) -> None:
    editor = EncounterEditor(services, encounter_id)
    editor.resize(1500, 940)
    editor.show()
    QApplication.processEvents()
    body_map = editor.body_map
    chart = editor.chart
    first = chart.at(0).key
    body_map.set_overlay(True)  # type: ignore[union-attr]
    editor.table.select_key(first)  # the map and the site details follow
    save(editor, out / "editor-posterior-overlay.png", 1500, 940)
    body_map.set_overlay(False)  # type: ignore[union-attr]
    editor.table.select_key(None)
    for view, name in (
        (FigureView.ANTERIOR, "editor-anterior.png"),
        (FigureView.LATERAL_RIGHT, "editor-lateral.png"),
    ):
        body_map.set_current_view(view)  # type: ignore[union-attr]
        save(editor, out / name, 1500, 940)
    body_map.set_current_view(FigureView.POSTERIOR)  # type: ignore[union-attr]
    body_map.set_deep_layer(True)  # type: ignore[union-attr]
    save(editor, out / "editor-deep-layer.png", 1500, 940)
    set_scheme(DARK)  # the figure stays a light drawing in the dark scheme
    save(editor, out / "editor-dark.png", 1500, 940)
    set_scheme(LIGHT)
    assessment = services.checks.assess_draft(
        editor.encounter_id, editor.form.form_input(), editor.chart.drafts()
    )
    editor.form.checks.set_assessment(assessment)  # INFO notes of one kind on one line
    save(editor.form.checks, out / "checks-panel.png", 520)
    dialog = SignDialog(assessment, lambda _reasons: services.encounters.get(encounter_id), editor)
    save(dialog, out / "sign-dialog.png")
    dialog.close()
    editor.stack.setClean()
    close_editor(editor)


#: The editor at the screen sizes of issue 12 §3: (file name, logical width, height, scale).
#: A scaled shot runs in a subprocess with QT_SCALE_FACTOR (Qt's scale is fixed at start-up):
#: a 1280x800 laptop at 150 % gives the window 853x533 logical pixels, drawn at 1280x800.
EDITOR_SIZES = (
    ("editor-1280x800.png", 1280, 800, 1.0),
    ("editor-1366x768.png", 1366, 768, 1.0),
    ("editor-1920x1080.png", 1920, 1080, 1.0),
    ("editor-1280x800-150pct.png", 1280, 800, 1.5),
    ("editor-1280x800-200pct.png", 1280, 800, 2.0),
)


def editor_size_shot(services: AppServices, path: Path, encounter_id: int, w: int, h: int) -> None:
    """The editor at ``w`` x ``h`` logical pixels with the mix (site 2) selected."""
    editor = EncounterEditor(services, encounter_id)
    editor.resize(w, h)
    editor.show()
    QApplication.processEvents()
    editor.table.select_key(editor.chart.at(1).key)
    save(editor, path, w, h)


def editor_form_shot(services: AppServices, out: Path, patient_id: int, provider_id: int) -> None:
    """Issue 12 §4: the form's screening, check buttons and pain pickers on a new draft."""
    encounter = services.encounters.create(patient_id, provider_id)
    editor = EncounterEditor(services, encounter.id)
    editor.resize(1500, 940)
    editor.show()
    editor.form.pain_before.setValue(6)
    editor.on_assessed(editor.live_checks.run_now())  # the checks' height, before scrolling
    QApplication.processEvents()
    box = editor.form.screening_box
    top = box.mapTo(editor.form, box.rect().topLeft()).y()
    editor.form_scroll.verticalScrollBar().setValue(top - 8)
    save(editor, out / "editor-form.png", 1500, 940)
    editor.save_now()  # closing with an unsaved change would ask, and nobody answers here
    wait_all_idle()
    close_editor(editor)


def editor_size_shots(services: AppServices, out: Path, encounter_id: int, db_url: str) -> None:
    for name, width, height, scale in EDITOR_SIZES:
        if scale == 1.0:
            editor_size_shot(services, out / name, encounter_id, width, height)
            continue
        env = dict(os.environ, QT_SCALE_FACTOR=str(scale))
        logical = f"{round(width / scale)}x{round(height / scale)}"
        subprocess.run(
            [sys.executable, __file__, "--out", str(out), "--scaled-editor", name,
             "--db", db_url, "--encounter", str(encounter_id), "--size", logical],
            check=True, env=env,
        )  # fmt: skip


def scaled_editor_main(args: argparse.Namespace) -> int:
    """In the subprocess: one editor shot under the QT_SCALE_FACTOR it was started with."""
    start_app()
    services = open_services(args.db)
    services.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
    width, height = (int(n) for n in args.size.split("x"))
    editor_size_shot(services, args.out / args.scaled_editor, args.encounter, width, height)
    services.close()
    return 0


def start_app() -> QApplication:
    """The app as the pictures show it: the demo clinic's day and zone, the shipped fonts."""
    # This computer's day (patients' ages, date pickers) is the demo clinic's, wherever it runs.
    os.environ["TZ"] = DEMO_TIMEZONE
    time.tzset()
    clock.set_clock(clock.fixed_clock(SCREENSHOT_TIME))
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_fonts(app)  # as the app does at start-up: demo names in every script show
    apply_theme(app, LIGHT)  # as at start-up, the light scheme whatever this computer's
    return app


def pdf_first_page_png(pdf: bytes, path: Path, dpi: int = 80) -> None:
    """The first page of ``pdf`` as a PNG, drawn by poppler's pdftoppm (as a printer would)."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed for the handout pictures (apt install poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf"
        source.write_bytes(pdf)
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", source, stem],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), path)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def handout_shots(services: AppServices, out: Path, encounter_id: int) -> None:
    """First pages of the showcase encounter's handout: English, Spanish, large print."""
    for language, large, name in (
        (Language.ENGLISH, False, "handout-en.png"),
        (Language.SPANISH, False, "handout-es.png"),
        (Language.ENGLISH, True, "handout-large.png"),
    ):
        pdf = services.documents.render_handout(encounter_id, language=language, large_print=large)
        pdf_first_page_png(pdf, out / name)
    pdf_first_page_png(services.notes.render_note(encounter_id), out / "procedure-note.png")


def front_desk_shot(services: AppServices, out: Path) -> None:
    """Today's procedures with the selected patient's handout previewed."""
    window = FrontDeskWindow(services)
    window.refresh()
    if window.model.rowCount():
        window.select_encounter(window.model.rowCount() - 1)
    save(window, out / "front-desk.png", 1400, 860)
    window.close()


def lock_screen_shot(window: MainWindow, out: Path, password: str) -> None:
    """Ctrl+L over the patient list: every window hidden, the lock screen asks for the
    password; then unlocked again."""
    lock = window.session_lock
    lock.lock()
    save(lock.screen, out / "lock-screen.png", 1000, 620)
    if not lock.unlock(password):
        raise SystemExit("could not unlock after the lock-screen picture")


def users_shots(services: AppServices, out: Path) -> None:
    """File → Users… as the demo's administrator: the accounts, then the permission matrix."""
    dialog = UsersDialog(services)
    save(dialog, out / "users.png", 1000, 560)
    dialog.tabs.setCurrentIndex(1)
    save(dialog, out / "users-permissions.png", 1000, 900)
    dialog.close()


def audit_shot(services: AppServices, out: Path, patient_id: int, encounter_id: int) -> None:
    """The administrator's audit trail, with a front-desk emergency access flagged."""
    services.clinic.authenticate(FRONT_DESK[0], DEMO_PASSWORD)
    services.emergency.break_glass(patient_id, "Patient unwell in the waiting room, checking")
    services.encounters.get(encounter_id)
    services.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
    dialog = AuditDialog(services)
    dialog.table.selectRow(1)  # a read under the emergency access: the report is for its patient
    save(dialog, out / "audit-trail.png", 1280, 720)
    dialog.close()


def backup_shots(services: AppServices, out: Path, folder: Path) -> None:
    """The status bar's backup field warning after three days, and File → Backup settings…"""
    backup_settings.record_success(
        SCREENSHOT_TIME - timedelta(days=3), folder / "clinic-auto-20261120T163000Z.clinic-backup"
    )
    window = MainWindow(services)
    window.backups.timer.stop()  # no automatic backup while the pictures are taken
    save(window, out / "main-window-backup-warning.png", 1280, 800)
    dialog = BackupSettingsDialog(services, window)
    save(dialog, out / "backup-settings.png")
    dialog.close()
    window.close()
    # The other pictures show a clinic backed up this morning.
    services.backups.back_up(folder / "clinic-20261123T120000Z.clinic-backup")


#: A patient's shading for the pain-drawing shot: strokes as a finger would draw them, on the
#: back (the left shoulder blade, down the back of the arm) and the front of the left shoulder.
PAIN_STROKES = (
    (FigureView.POSTERIOR, (205, 235), (195, 285)),
    (FigureView.POSTERIOR, (160, 250), (140, 330)),
    (FigureView.ANTERIOR, (350, 215), (355, 262)),
)


def pain_drawing_shot(services: AppServices, out: Path, patient_id: int, provider_id: int) -> None:
    """Issue 14 §2: a new draft in pain-drawing mode, the first suggestion's zones previewed."""
    from clinic_app.domain.pain_drawing import PainDrawing, cells_in_disc
    from clinic_app.ui.bodymap.drawing import BRUSH_RADIUS

    encounter = services.encounters.create(patient_id, provider_id)
    editor = EncounterEditor(services, encounter.id)
    editor.resize(1500, 940)
    editor.show()
    panel = editor.pain_drawing
    assert panel is not None
    cells: set[int] = set()
    for view, (x0, y0), (x1, y1) in PAIN_STROKES:
        for step in range(11):
            t = step / 10
            cells |= cells_in_disc(view, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, BRUSH_RADIUS)
    panel.set_mode(True)
    panel.model.set_drawing(PainDrawing(frozenset(cells)))  # saved, as a stroke is
    panel.suggestions.setCurrentRow(0)  # its zones shade in orange
    editor.body_map.set_current_view(FigureView.POSTERIOR)  # type: ignore[union-attr]
    save(editor, out / "editor-pain-drawing.png", 1500, 940)
    wait_all_idle()
    close_editor(editor)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scaled-editor", help=argparse.SUPPRESS)  # the subprocess's shot
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--encounter", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.scaled_editor:
        return scaled_editor_main(args)
    app = start_app()
    # A fixed folder, not a random one: the status bar shows the database's path.
    folder = Path(tempfile.gettempdir()) / "clinic_app-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    # Backup settings, the last backup and the audit key stay in the throwaway folder.
    os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        fresh = open_services(sqlite_url(folder / "new.sqlite3"))
        setup = SetupDialog(fresh)
        save(setup, args.out / "first-run-setup.png")
        setup.close()
        fresh.close()

        demo_url = demo_database(folder)
        demo = open_services(demo_url)
        sign_in = SignInDialog(demo)  # a demo database lists its accounts
        save(sign_in, args.out / "sign-in-demo.png")
        sign_in.close()
        user = demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        backup_shots(demo, args.out, folder)
        window = MainWindow(demo)
        save(window, args.out / "main-window-demo.png", 1280, 800)
        set_scheme(DARK)  # the same window when the OS is in dark mode
        save(window, args.out / "main-window-dark.png", 1280, 800)
        set_scheme(LIGHT)
        window.search_box.setText("garc")
        window.run_search()
        window.table.selectRow(0)
        save(window, args.out / "main-window-search.png", 1280, 800)
        lock_screen_shot(window, args.out, DEMO_PASSWORD)
        patient = window.current_patient()
        window.close()
        assert patient is not None
        showcase = showcase_encounter(demo, patient.id, user.id)
        editor_shots(demo, args.out, showcase)
        editor_size_shots(demo, args.out, showcase, demo_url)
        editor_form_shot(demo, args.out, patient.id, user.id)
        measures_shots(demo, args.out, patient.id, showcase)  # NDI, ODI: on the signed note
        pain_drawing_shot(demo, args.out, patient.id, user.id)
        sign_showcase(demo, showcase)
        handout_shots(demo, args.out, showcase)
        front_desk_shot(demo, args.out)
        signed_editor_shot(demo, args.out, showcase)
        users_shots(demo, args.out)  # the first provider is the demo's administrator too
        audit_shot(demo, args.out, patient.id, showcase)
        lots_shots(demo, args.out)  # the Lots screen and a lot recall search (issue 12 §5)
        fhir_export_shot(demo, args.out)  # Patient → Export to FHIR… (issue 14 §3)
        import_shots(demo, args.out, folder)  # the patient import's mapping and preview (14 §3)
        progress_shots(demo, args.out)  # the Progress view and its report (issue 14 §1)
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
