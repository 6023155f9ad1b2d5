"""The Progress view: chart series and values, the per-muscle table, PNG and PDF export."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from clinic_app.domain.enums import Side
from clinic_app.domain.progress import VisitFacts, progress_of
from clinic_app.domain.rules import default_rules
from clinic_app.reports.progress_data import ProgressReportData
from clinic_app.reports.progress_report import render_progress_report
from clinic_app.services.dto import MeasureScore, ProgressView
from clinic_app.storage.engine import make_sessionmaker
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.progress.chart import PAIN_AFTER, PAIN_BEFORE, RELIEF_NAME, msecs
from clinic_app.ui.progress.window import ProgressWindow
from tests.services.test_progress import FIRST, add_visit

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)

DAY = date(2026, 1, 5)
L, R = Side.LEFT, Side.RIGHT


def make_view(measures: tuple[MeasureScore, ...] = ()) -> ProgressView:
    visits = [
        VisitFacts(DAY, 8, 4, None, None, frozenset({("trapezius_upper", L)})),
        VisitFacts(
            DAY + timedelta(days=42),
            6,
            2,
            60,
            5,
            frozenset({("trapezius_upper", L), ("levator_scapulae", R)}),
        ),
        VisitFacts(DAY + timedelta(days=84), 3, None, 75, 8, frozenset()),
    ]
    progress = progress_of(visits, "medicare", default_rules().payers, DAY + timedelta(days=90))
    return ProgressView(
        patient_id=7,
        patient_name="Ana Lee",
        patient_mrn="N-7",
        date_of_birth=date(1980, 1, 1),
        progress=progress,
        muscle_names={"trapezius_upper": "Trapezius, upper", "levator_scapulae": "Levator"},
        measures=measures,
    )


class FakeProgress:
    """The report half of the progress service: renders the view's report."""

    def __init__(self, view: ProgressView) -> None:
        self.view = view
        self.rendered: list[int] = []
        self.threads: list[threading.Thread] = []

    def render_report(self, patient_id: int) -> bytes:
        self.rendered.append(patient_id)
        self.threads.append(threading.current_thread())
        v = self.view
        return render_progress_report(
            ProgressReportData(
                "Clinic", "", "", v.patient_name, v.patient_mrn, v.date_of_birth,
                DAY, v.progress, v.muscle_names,
            )
        )  # fmt: skip


@pytest.fixture
def shown(qtbot):
    def show(view: ProgressView) -> tuple[ProgressWindow, FakeProgress]:
        service = FakeProgress(view)
        window = ProgressWindow(service, view)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window, service

    return show


def points(series: QLineSeries | QScatterSeries) -> list[tuple[float, float]]:
    return [(p.x(), p.y()) for p in series.points()]


def test_the_chart_has_pain_before_after_and_relief_per_visit(shown):
    window, _ = shown(make_view())
    chart = window.chart_view.chart()
    series = {s.name(): s for s in chart.series()}
    assert set(series) == {PAIN_BEFORE, PAIN_AFTER, RELIEF_NAME}
    days = [msecs(DAY + timedelta(days=d)) for d in (0, 42, 84)]
    assert points(series[PAIN_BEFORE]) == [(days[0], 8), (days[1], 6), (days[2], 3)]
    # The third visit scored no pain after: no point for it.
    assert points(series[PAIN_AFTER]) == [(days[0], 4), (days[1], 2)]
    # Relief reported at visits 2 and 3 belongs to visits 1 and 2.
    assert points(series[RELIEF_NAME]) == [(days[0], 60), (days[1], 75)]
    assert window.measures_view is None


def test_the_table_lists_each_muscle_and_side(shown):
    window, _ = shown(make_view())
    model = window.muscles
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert cells == [
        ["Trapezius, upper", "Left", "2", "−4"],
        ["Levator", "Right", "1", "−4"],
    ]


def test_the_summary_shows_the_count_against_the_payer_limit(shown):
    window, _ = shown(make_view())
    sessions = window.summary_labels["Sessions"].text()
    assert sessions == "3 sessions in the last 365 days; Medicare covers at most 3: 0 left."
    assert (
        "8/10 on 2026-01-05 → 3/10 on 2026-03-30"
        in window.summary_labels["Pain before treatment"].text()
    )


def test_measures_draw_their_own_chart(shown):
    measures = (
        MeasureScore(DAY, "ndi", "Neck Disability Index", 24, 48.0, "moderate"),
        MeasureScore(DAY + timedelta(days=42), "ndi", "Neck Disability Index", 14, 28.0, "mild"),
        MeasureScore(
            DAY + timedelta(days=42), "odi", "Oswestry Disability Index", 9, 18.0, "minimal"
        ),
    )
    window, _ = shown(make_view(measures))
    assert window.measures_view is not None
    series = {s.name(): s for s in window.measures_view.chart().series()}
    assert points(series["Neck Disability Index"]) == [
        (msecs(DAY), 48.0),
        (msecs(DAY + timedelta(days=42)), 28.0),
    ]
    assert isinstance(series["Oswestry Disability Index"], QScatterSeries)  # one score: a dot


def test_export_png_writes_a_readable_png(shown, prompts, tmp_path, qtbot):
    window, _ = shown(make_view())
    target = tmp_path / "chart.png"
    prompts.answer("ask_save_file", str(target))
    with qtbot.waitSignal(window.exported) as exported:
        assert window.export_button.click() is None
    assert exported.args == [str(target)]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() == window.chart_view.width() * round(window.devicePixelRatioF())


def test_export_cancelled_writes_nothing(shown, prompts, tmp_path, qtbot):
    window, _ = shown(make_view())
    prompts.answer("ask_save_file", "")
    with qtbot.assertNotEmitted(window.exported):
        assert window.on_export_png() is False


def test_save_report_writes_the_pdf(shown, prompts, tmp_path, qtbot):
    window, service = shown(make_view())
    target = tmp_path / "report.pdf"
    prompts.answer("ask_save_file", str(target))
    with qtbot.waitSignal(window.report_saved):
        window.save_button.click()
    assert service.rendered == [7]
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 1
    assert "Ana Lee" in reader.pages[0].extract_text()


def test_the_report_is_made_off_the_gui_thread(shown, prompts, tmp_path, qtbot):
    window, service = shown(make_view())
    prompts.answer("ask_save_file", str(tmp_path / "report.pdf"))
    with qtbot.waitSignal(window.report_saved):
        window.save_button.click()
    assert len(service.threads) == 1
    assert service.threads[0] is not threading.main_thread()  # the window kept painting
    assert window.save_button.isEnabled()
    assert window.print_button.isEnabled()
    assert window.status.text() == ""


def test_print_cancelled_renders_nothing(shown, prompts):
    window, service = shown(make_view())
    prompts.answer("ask_printer", None)
    assert window.on_print_report() is False
    assert service.rendered == []


def test_the_patient_menu_opens_the_selected_patients_progress(
    qtbot, services, make_patient, ui_engine, admin
):
    patient = make_patient(family_name="Series")
    db = make_sessionmaker(ui_engine)
    add_visit(db, patient.id, admin.id, 0, (7, 3), places=(("trapezius_upper", L),))
    add_visit(db, patient.id, admin.id, 30, (5, 2), (50, 3), (("trapezius_upper", L),))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.refresh()
    window.select_patient(patient.id)
    assert window.progress_action.isEnabled()
    window.progress_action.trigger()
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, ProgressWindow)]
    assert len(opened) == 1
    progress = opened[0].view.progress
    assert [p.performed_on for p in progress.points] == [
        FIRST.date(),
        FIRST.date() + timedelta(days=30),
    ]
    assert [p.relief_percent for p in progress.points] == [50, None]
    opened[0].close()


def test_a_patient_without_signed_visits(shown):
    empty = progress_of([], "none", default_rules().payers, DAY)
    view = ProgressView(7, "Ana Lee", "N-7", date(1980, 1, 1), empty)
    window, _ = shown(view)
    chart = window.chart_view.chart()
    assert chart.title() == "No signed visits yet"
    assert all(s.count() == 0 for s in chart.series())
    assert window.muscles.rowCount() == 0
    assert window.summary_labels["Period"].text() == "no signed visits yet"


def test_an_error_loading_the_series_is_shown_not_raised(qtbot, prompts):
    from clinic_app.domain.errors import NotFoundError
    from clinic_app.ui.progress.window import open_progress

    class Missing:
        def progress(self, patient_id: int) -> ProgressView:
            raise NotFoundError(f"Patient {patient_id} does not exist.")

    prompts.answer("show_error")
    assert open_progress(Missing(), 99) is None  # type: ignore[arg-type]
    assert prompts.shown[0].text == "Patient 99 does not exist."
