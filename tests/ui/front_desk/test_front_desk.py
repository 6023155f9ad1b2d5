"""The front-desk window: the day's list, the preview, printing, saving and the log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from clinic_app.domain import clock
from clinic_app.domain.enums import Language, Side
from clinic_app.services.container import AppServices
from clinic_app.services.dto import EncounterInput, PatientView, UserView
from clinic_app.ui.front_desk.models import PrintLogModel, ProcedureTableModel
from clinic_app.ui.front_desk.window import FrontDeskWindow
from clinic_app.ui.main_window import MainWindow
from tests.services.test_documents import site
from tests.ui.prompts import Prompts


def procedure(services: AppServices, admin: UserView, patient: PatientView) -> int:
    enc = services.encounters.create(patient.id, admin.id, performed_at=clock.now().astimezone())
    services.encounters.save_draft(
        enc.id, enc.version, EncounterInput(), [site("infraspinatus", Side.LEFT)]
    )
    return enc.id


@pytest.fixture
def day(
    services: AppServices, admin: UserView, make_patient: Callable[..., PatientView]
) -> list[int]:
    english = make_patient(given_name="Maria", family_name="Lopez")
    spanish = make_patient(
        given_name="José", family_name="Nguyễn", preferred_language=Language.SPANISH
    )
    return [procedure(services, admin, english), procedure(services, admin, spanish)]


@pytest.fixture
def window(qtbot: QtBot, services: AppServices, day: list[int]) -> FrontDeskWindow:
    w = FrontDeskWindow(services)
    qtbot.addWidget(w)
    return w


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_models_pass_the_model_tester(
    qtmodeltester: object, services: AppServices, day: list[int]
) -> None:
    rows = services.documents.procedures_on(clock.now().astimezone().date())
    model = ProcedureTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    services.documents.record_print(day[0], Language.ENGLISH, 2)
    log = PrintLogModel()
    log.set_rows(services.documents.print_log(day[0]))
    qtmodeltester.check(log)  # type: ignore[attr-defined]
    assert log.index(0, 3).data() == "2"


@pytest.mark.service_behaviour
def test_lists_today_and_previews_in_the_patients_language(
    qtbot: QtBot, window: FrontDeskWindow, day: list[int]
) -> None:
    assert window.model.rowCount() == 2
    assert window.model.index(0, 1).data() == "Maria Lopez"
    assert window.model.index(1, 8).data() == "Not printed"
    with qtbot.waitSignal(window.preview_ready) as blocker:
        window.select_encounter(1)
    assert blocker.args == [day[1]]
    assert window.language() is Language.SPANISH
    assert window.preview_page_count >= 1
    assert "not signed" in window.status_label.text()
    with qtbot.waitSignal(window.preview_ready):
        window.large_print_check.setChecked(True)
    assert window.print_button.isEnabled()


def test_save_as_pdf_writes_the_file_and_logs_it(
    qtbot: QtBot,
    window: FrontDeskWindow,
    day: list[int],
    tmp_path: Path,
    prompts: Prompts,
) -> None:
    out = tmp_path / "handout.pdf"
    prompts.answer("ask_save_file", str(out))
    window.select_encounter(0)
    with qtbot.waitSignal(window.handout_printed):
        assert window.save_selected()
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Maria Lopez" in " ".join(text.split())
    assert window.encounter_id == day[0]
    assert window.log_model.rowCount() == 1
    assert window.log_model.index(0, 1).data() == "Ana Ruiz"
    assert window.model.index(0, 8).data().startswith("Printed")


def test_print_to_a_pdf_printer_logs_the_chosen_language(
    qtbot: QtBot,
    window: FrontDeskWindow,
    services: AppServices,
    day: list[int],
    tmp_path: Path,
    prompts: Prompts,
) -> None:
    out = tmp_path / "printed.pdf"
    prompts.answer("ask_printer", pdf_printer(out))
    window.select_encounter(1)
    with qtbot.waitSignal(window.preview_ready):
        window.language_combo.setCurrentIndex(window.language_combo.findData(Language.ENGLISH))
    with qtbot.waitSignal(window.handout_printed):
        assert window.print_selected()
    assert len(PdfReader(out).pages) == window.preview_page_count
    log = services.documents.print_log(day[1])
    assert [(r.language, r.copies) for r in log] == [(Language.ENGLISH, 1)]
    # the list reload kept the encounter and the language chosen
    assert window.encounter_id == day[1]
    assert window.language() is Language.ENGLISH
    window.status_combo.setCurrentIndex(window.status_combo.findData("not_printed"))
    assert [window.model.index(r, 1).data() for r in range(window.model.rowCount())] == [
        "Maria Lopez"
    ]


@pytest.mark.service_behaviour
def test_print_all_unprinted_prints_each_once(
    qtbot: QtBot,
    window: FrontDeskWindow,
    services: AppServices,
    day: list[int],
    tmp_path: Path,
    prompts: Prompts,
) -> None:
    services.documents.record_print(day[0], Language.ENGLISH)
    prompts.answer("ask_printer", pdf_printer(tmp_path / "all.pdf"))
    with qtbot.waitSignal(window.batch_finished) as blocker:
        window.print_all_unprinted()
    assert blocker.args == [1]
    assert [r.language for r in services.documents.print_log(day[1])] == [Language.SPANISH]
    assert len(services.documents.print_log(day[0])) == 1
    prompts.answer("inform")
    assert window.print_all_unprinted() == 0
    assert prompts.titles()[-1] == "Nothing to print"


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_fails_says_so_and_logs_nothing(
    window: FrontDeskWindow,
    services: AppServices,
    day: list[int],
    tmp_path: Path,
    prompts: Prompts,
) -> None:
    prompts.answer("ask_printer", pdf_printer(tmp_path / "missing" / "x.pdf"))
    prompts.answer("warn")
    window.select_encounter(0)
    assert not window.print_selected()
    assert prompts.names() == ["ask_printer", "warn"]
    warning = prompts.shown[1]
    assert f"{warning.title}: {warning.text}".startswith("Handout not printed: The printer")
    assert services.documents.print_log(day[0]) == []
    assert window.print_button.isEnabled()


def test_cancelled_dialogs_do_nothing(
    window: FrontDeskWindow,
    services: AppServices,
    day: list[int],
    prompts: Prompts,
) -> None:
    prompts.answer("ask_printer", None)
    prompts.answer("ask_save_file", "")
    prompts.answer("ask_printer", None)
    window.select_encounter(0)
    assert not window.print_selected()
    assert not window.save_selected()
    assert window.print_all_unprinted() == 0
    assert services.documents.print_log(day[0]) == []


def has_ink(window: FrontDeskWindow) -> bool:
    """Whether the preview shows rendered text yet (QPdfView renders pages in a thread)."""
    image = window.preview.viewport().grab().toImage().scaledToWidth(120)
    return any(
        image.pixelColor(x, y).lightness() < 100
        for y in range(image.height())
        for x in range(image.width())
    )


def test_the_preview_shows_the_handout(
    qtbot: QtBot, window: FrontDeskWindow, tmp_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.preview_ready):
        window.select_encounter(1)
    qtbot.waitUntil(lambda: has_ink(window), timeout=10_000)
    assert window.grab().save(str(tmp_path / "front_desk.png"))


def test_ctrl_d_in_the_main_window_opens_the_front_desk(
    qtbot: QtBot, services: AppServices, day: list[int]
) -> None:
    main = MainWindow(services)
    qtbot.addWidget(main)
    action = main.front_desk_action
    assert action.shortcut().toString() == "Ctrl+D"
    action.trigger()
    desk = main.front_desk
    assert desk is not None
    qtbot.addWidget(desk)
    assert desk.isVisible()
    assert desk.model.rowCount() == 2
    action.trigger()
    assert main.front_desk is desk


def test_previews_render_off_the_gui_thread_and_only_the_newest_is_shown(
    qtbot: QtBot,
    window: FrontDeskWindow,
    services: AppServices,
    day: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = services.documents.render_handout
    release = threading.Event()
    rendered_on: list[str] = []

    def slow(encounter_id: int, **options: object) -> bytes:
        rendered_on.append(threading.current_thread().name)
        if encounter_id == day[0]:
            assert release.wait(10)  # the first one takes long...
        return real(encounter_id, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(services.documents, "render_handout", slow)
    shown: list[int] = []
    window.preview_ready.connect(shown.append)
    window.select_encounter(0)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Rendering the handout…")
    assert not window.print_button.isEnabled()  # nothing to print before it is shown
    window.select_encounter(1)  # ...and the user has moved on meanwhile
    release.set()
    with qtbot.waitSignal(window.preview_ready) as ready:
        pass
    qtbot.waitUntil(lambda: window.jobs().pending == 0)
    assert ready.args == [day[1]]
    assert shown == [day[1]]  # the answer for the first selection was dropped
    assert window.encounter_id == day[1]
    assert window.preview_page_count >= 1
    assert threading.main_thread().name not in rendered_on
    assert window.statusBar().currentMessage() == ""


def test_reprint_is_offered_only_for_a_handout_printed_before(
    qtbot: QtBot, window: FrontDeskWindow, services: AppServices, day: list[int], prompts: Prompts
) -> None:
    from clinic_app.ui.front_desk.printing import NOT_PRINTED_YET, PRINTER_KEY

    settings = window.printing._settings()
    settings.setValue(PRINTER_KEY, "Front desk laser")  # a printer was used before today
    try:
        with qtbot.waitSignal(window.preview_ready):
            window.select_encounter(0)
        assert window.print_button.isEnabled()
        assert not window.reprint_button.isEnabled()
        assert window.reprint_button.toolTip() == NOT_PRINTED_YET
        # The service's print log decides, not the button: a direct call is refused too.
        prompts.answer("warn", lambda p: p.text)
        assert window.reprint_selected() is False
        assert prompts.shown[-1].title == "Nothing to reprint"
        assert services.documents.print_log(day[0]) == []

        services.documents.record_print(day[0], Language.ENGLISH)  # printed at another desk
        with qtbot.waitSignal(window.preview_ready):
            window.refresh()
        assert window.reprint_button.isEnabled()
        assert "Front desk laser" in window.reprint_button.toolTip()
        # The other procedure of the day was never printed: no reprint there.
        with qtbot.waitSignal(window.preview_ready):
            window.select_encounter(1)
        assert not window.reprint_button.isEnabled()
    finally:
        settings.remove(PRINTER_KEY)
