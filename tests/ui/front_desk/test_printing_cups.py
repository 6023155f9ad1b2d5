"""A handout printed through Qt to a real CUPS queue (cups-pdf) and read back.

CI installs CUPS and adds the ``PDF`` queue (``.ci/run``); a machine without it skips with
the commands to set it up, and under ``CI=true`` fails, so CI can never go green without
having printed.

The front desk paints each PDF page as an image (Qt cannot draw a PDF as vectors), so the
printed file has no text layer: the test reads its page images back with pypdf and checks
they are this handout's pages, not another language's.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from clinic_app.domain import clock
from clinic_app.domain.enums import Language, Side
from clinic_app.services.container import AppServices
from clinic_app.services.dto import EncounterInput, PatientView, UserView
from clinic_app.ui.common.print_support import load_pdf, printer_named, render_page
from clinic_app.ui.front_desk.models import doc_name
from clinic_app.ui.front_desk.printing import PRINTER_KEY
from clinic_app.ui.front_desk.window import FrontDeskWindow
from tests.services.test_documents import site
from tests.system_services import CUPS, missing_service

QUEUE = "PDF"
INSTALL_HINT = (
    "needs the cups-pdf queue 'PDF': apt-get install -y cups printer-driver-cups-pdf; "
    "cupsd; lpadmin -p PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd "
    "(.ci/run does this)"
)
THUMB = (60, 80)


def cups_pdf_out_dir() -> Path:
    """Where cups-pdf writes a job of the current user (the ``Out`` setting)."""
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    return Path(out.replace("${HOME}", str(Path.home())))


@pytest.fixture
def queue() -> str:
    try:
        result = subprocess.run(
            ["lpstat", "-p", QUEUE], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        missing_service(f"lpstat is not available ({exc.__class__.__name__})", service=CUPS)
    if result.returncode != 0:
        missing_service(
            f"no print queue {QUEUE} (lpstat -p {QUEUE}: {result.stderr.strip()})",
            service=CUPS,
        )
    return QUEUE


def thumbnail(image: QImage) -> list[int]:
    small = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
        *THUMB,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    return [small.pixelColor(x, y).value() for y in range(THUMB[1]) for x in range(THUMB[0])]


def sheet(document: QPdfDocument, page: int, size: QSize, dpi: float) -> QImage:
    """The page as the printer lays it out: at the sheet's top-left corner, on white paper."""
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, render_page(document, page, round(dpi)))
    painter.end()
    return paper


def distance(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def test_a_handout_printed_to_cups_comes_back_as_its_pages(
    qtbot: QtBot,
    queue: str,
    services: AppServices,
    admin: UserView,
    make_patient: Callable[..., PatientView],
) -> None:
    patient = make_patient(given_name="Maria", family_name="Lopez")
    enc = services.encounters.create(patient.id, admin.id, performed_at=clock.now().astimezone())
    services.encounters.save_draft(
        enc.id, enc.version, EncounterInput(), [site("trapezius_upper", Side.RIGHT)]
    )
    window = FrontDeskWindow(services)
    qtbot.addWidget(window)
    window.select_encounter(0)
    printer = printer_named(queue)
    assert printer is not None, f"Qt does not list the CUPS printer {queue!r}"
    out_dir = cups_pdf_out_dir()
    before = set(out_dir.glob("*.pdf")) if out_dir.exists() else set()
    name = doc_name(enc.id)

    paper_points = printer.paperRect(QPrinter.Unit.Point)
    with qtbot.waitSignal(window.handout_printed, timeout=30_000):
        assert window.print_to(printer)

    def printed() -> list[Path]:
        found = set(out_dir.glob(f"{name}*.pdf")) - before if out_dir.exists() else set()
        return sorted(p for p in found if p.stat().st_size > 0)

    qtbot.waitUntil(lambda: bool(printed()), timeout=30_000)
    path = printed()[0]
    # cups-pdf writes the file and then closes it: wait until it parses completely.
    qtbot.waitUntil(lambda: _readable(path), timeout=30_000)

    english = services.documents.render_handout(enc.id, language=Language.ENGLISH)
    spanish = services.documents.render_handout(enc.id, language=Language.SPANISH)
    reader = PdfReader(path)
    ours = load_pdf(english)
    assert len(reader.pages) == ours.pageCount()
    other = load_pdf(spanish)
    for number, page in enumerate(reader.pages):
        images = page.images
        assert len(images) == 1, f"page {number + 1}: {len(images)} images"
        back = QImage.fromData(images[0].data)
        assert not back.isNull()
        assert back.width() >= 8 * 150  # at least 150 dpi across the sheet
        dpi = back.width() / (paper_points.width() / 72)
        expected = thumbnail(sheet(ours, number, back.size(), dpi))
        # Ghostscript may store the raster bottom-up and flip it with the placement matrix.
        got = min(
            (thumbnail(back), thumbnail(back.flipped(Qt.Orientation.Vertical))),
            key=lambda candidate: distance(candidate, expected),
        )
        same = distance(got, expected)
        assert same < 3, f"page {number + 1} differs from the handout by {same:.1f}"
        if number < other.pageCount():
            different = distance(got, thumbnail(sheet(other, number, back.size(), dpi)))
            assert different > 2 * same
    assert window.remembered_printer() == queue
    assert window.reprint_button.isEnabled()
    assert [r.language for r in services.documents.print_log(enc.id)] == [Language.ENGLISH]
    path.unlink()
    assert PRINTER_KEY == "front_desk/printer"


def _readable(path: Path) -> bool:
    try:
        return len(PdfReader(path).pages) > 0
    except Exception:  # a file still being written
        return False
