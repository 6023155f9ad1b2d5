"""The patient's access report PDF: the header, the table, markup-safe text, every page."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader

from clinic_app.reports.access_report import (
    EMERGENCY_MARK,
    AccessLine,
    AccessReportData,
    render_access_report,
)
from tests.conftest import system_tool


def report(lines: int = 3, **changes: object) -> AccessReportData:
    values: dict[str, object] = {
        "clinic_name": "J&C <b>Pain</b> Clinic",
        "clinic_address": "1 Main St",
        "clinic_phone": "555-0100",
        "patient_name": "Nguyễn Thị Lan",
        "patient_mrn": "M-77",
        "date_of_birth": "1970-05-17",
        "period": "2026-03-01 to 2026-03-31",
        "made_at": "2026-04-01 09:00 CDT",
        "lines": tuple(
            AccessLine(f"2026-03-{i % 28 + 1:02d} 10:00 CST", "Łukasz Nowak", "nurse",
                       "Opened the patient's record", emergency=i == 0)
            for i in range(lines)
        ),
    }  # fmt: skip
    values.update(changes)
    return AccessReportData(**values)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_header_the_patient_and_each_access_are_printed() -> None:
    [page] = text_of(render_access_report(report()))
    assert "J&C <b>Pain</b> Clinic" in page  # escaped, printed as typed
    assert "Chart access report" in page
    assert "Nguyễn Thị Lan · MRN M-77 · born 1970-05-17" in page
    assert "2026-03-01 to 2026-03-31" in page
    assert page.count("Łukasz Nowak") == 3
    assert page.count(EMERGENCY_MARK) == 1


def test_an_empty_period_says_so() -> None:
    [page] = text_of(render_access_report(report(lines=0)))
    assert "No one opened or changed this chart in this period." in page


def test_a_long_report_repeats_the_header_and_numbers_every_page(tmp_path: Path) -> None:
    pdf = render_access_report(report(lines=120))
    pages = text_of(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Chart access report" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Date and time" in page  # the table's heading repeats
    path = tmp_path / "access.pdf"
    path.write_bytes(pdf)
    pdftoppm = system_tool("pdftoppm", "poppler-utils")
    done = subprocess.run(
        [pdftoppm, "-png", "-r", "40", str(path), str(tmp_path / "page")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("page*.png"))) == len(pages)
