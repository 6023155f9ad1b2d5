"""The checks panel, the codes box, the live-checks debounce and the footer's limit totals."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from clinic_app.domain.rules import Assessment, CodeLine, CodingSummary, Finding, Severity
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.encounter.checks_panel import (
    CODER_REVIEW_TEXT,
    NO_PROBLEMS_TEXT,
    ChecksPanel,
    CodesBox,
    FindingRow,
    LiveChecks,
    safety_site_numbers,
    summary_text,
)
from clinic_app.ui.encounter.finding_rows import group_text
from clinic_app.ui.encounter.sites.text import limit_total, limits_html

NO_CODES = CodingSummary((), (), (), coder_review=False)
OVER = Finding(
    "dose.lidocaine_max",
    Severity.BLOCK,
    "Lidocaine 320 mg exceeds the 300 mg maximum.",
    "FDA label",
    (2, 5),
)
BLEED = Finding(
    "screening.anticoagulant", Severity.WARNING, "On an anticoagulant.", "ref §5", needs_reason=True
)
LUNG = Finding("site.pneumothorax", Severity.INFO, "Pneumothorax risk at site 3.", "ref §2", (3,))


def assessment(*findings: Finding, coding: CodingSummary = NO_CODES) -> Assessment:
    return Assessment(tuple(findings), (), coding)


@pytest.fixture
def panel(qtbot) -> ChecksPanel:
    widget = ChecksPanel()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ((), NO_PROBLEMS_TEXT),
        (
            (OVER, OVER, BLEED, LUNG),
            "2 blocks · 1 warning · 1 note — signing is refused until blocks are resolved",
        ),
        ((BLEED,), "1 warning — some warnings need a typed reason at signing"),
        ((LUNG, LUNG), "2 notes"),
    ],
)
def test_summary_line(findings, expected):
    assert summary_text(assessment(*findings)) == expected


def test_a_signed_visit_does_not_ask_for_reasons_it_already_has(panel):
    panel.set_assessment(assessment(BLEED, LUNG), signed=True)
    assert panel.summary.text() == (
        "1 warning · 1 note — signed; the reasons for the warnings are in the signature"
    )
    assert "need a typed reason" not in panel.text()


def test_rows_show_badge_message_source_and_sites(panel):
    panel.set_assessment(assessment(OVER, BLEED, LUNG))
    assert [r.badge.text() for r in panel.rows] == ["BLOCK", "WARNING", "INFO"]
    first = panel.rows[0]
    assert first.message.text() == OVER.message
    assert first.source.text() == "FDA label"
    assert first.sites.text() == "Sites 2, 5"
    assert panel.rows[2].sites.text() == "Site 3"
    assert panel.rows[1].sites.isHidden()
    assert "2, 5" in panel.text()
    panel.set_assessment(assessment())
    assert panel.rows == []
    assert panel.summary.text() == NO_PROBLEMS_TEXT


def test_clicking_or_pressing_enter_on_a_finding_names_its_first_site(qtbot, panel):
    panel.set_assessment(assessment(OVER, BLEED))
    with qtbot.waitSignal(panel.site_activated) as clicked:
        qtbot.mouseClick(panel.rows[0], Qt.MouseButton.LeftButton)
    assert clicked.args == [2]
    with qtbot.waitSignal(panel.site_activated) as pressed:
        qtbot.keyClick(panel.rows[0], Qt.Key.Key_Return)
    assert pressed.args == [2]
    with qtbot.assertNotEmitted(panel.site_activated):
        qtbot.mouseClick(panel.rows[1], Qt.MouseButton.LeftButton)  # no site to select


def test_an_error_replaces_the_findings(panel):
    panel.set_assessment(assessment(OVER))
    panel.set_error("database is locked")
    assert panel.rows == []
    assert panel.summary.text().startswith("Checks could not run: database is locked")


def test_safety_sites_are_the_site_rules_only():
    assert safety_site_numbers([OVER, LUNG, BLEED]) == {3}


def test_codes_box(qtbot):
    box = CodesBox()
    qtbot.addWidget(box)
    box.set_coding(
        CodingSummary(
            (CodeLine("20553", 1, "TPI, 3 or more muscles"),),
            (CodeLine("J3301", 4, "Triamcinolone, 10 mg"),),
            ("M79.18",),
            coder_review=True,
        )
    )
    text = box.text()
    assert "CPT 20553</b> × 1 — TPI, 3 or more muscles" in text
    assert "HCPCS J3301</b> × 4 units" in text
    assert "M79.18" in text
    assert CODER_REVIEW_TEXT in text
    box.set_coding(NO_CODES)
    assert box.text() == "No codes yet."


@pytest.fixture
def jobs() -> Iterator[JobQueue]:
    queue = JobQueue("checks test")
    yield queue
    queue.shutdown()


def test_live_checks_run_once_after_a_burst_and_report_failures(qtbot, jobs):
    calls: list[int] = []

    def assess() -> Assessment:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("boom")
        return assessment(LUNG)

    live = LiveChecks(lambda: assess, jobs)
    for _ in range(5):
        live.schedule()
    with qtbot.waitSignal(live.assessed) as done:
        pass
    assert done.args[0].findings == (LUNG,)
    assert calls == [1]
    with qtbot.waitSignal(live.failed) as failed:
        live.schedule()
    assert failed.args == ["boom"]
    assert live.last is None


def test_an_answer_to_an_older_request_is_dropped(qtbot, jobs):
    release = threading.Event()
    threads: list[str] = []

    def slow_old() -> Assessment:
        threads.append(threading.current_thread().name)
        assert release.wait(10)
        return assessment(LUNG)

    def new() -> Assessment:
        return assessment()

    requests = iter([slow_old, new])
    live = LiveChecks(lambda: next(requests), jobs)
    seen: list[Assessment] = []
    live.assessed.connect(seen.append)
    live.run_later()  # the old request, still running on the worker...
    qtbot.waitUntil(lambda: threads != [])
    live.run_later()  # ...when a newer one is asked for
    release.set()
    with qtbot.waitSignal(jobs.idle):
        pass
    assert [a.findings for a in seen] == [()]  # only the newest answer was shown
    assert live.last is not None
    assert live.last.findings == ()
    assert threads != [threading.current_thread().name]  # it ran off the GUI thread


@pytest.mark.parametrize(
    ("total", "text", "level"),
    [
        ("60", "Lidocaine 60 mg of 300 mg max (20%)", ""),
        ("239", "Lidocaine 239 mg of 300 mg max (80%)", ""),
        ("240", "Lidocaine 240 mg of 300 mg max (80%) — near the limit", "near"),
        ("300", "Lidocaine 300 mg of 300 mg max (100%) — at or over the limit", "over"),
    ],
)
def test_limit_totals_at_their_boundaries(total, text, level):
    result = limit_total("lidocaine", Decimal(total), "mg", Decimal(300))
    assert (result.text, result.level) == (text, level)


def test_limits_footer_colours_and_the_missing_weight():
    totals = [
        limit_total("lidocaine", Decimal(310), "mg", Decimal(300)),
        limit_total("saline", Decimal(2), "mL", None),
    ]
    html = limits_html(totals, ["dose.weight_missing", "site.pneumothorax"])
    assert "color:#b71c1c" in html
    assert html.endswith("Saline 2 mL (weight missing: absolute cap)")
    assert limits_html([]) == ""


def test_a_finding_with_a_target_goes_to_its_field(qtbot) -> None:
    consent = Finding(
        "documentation.consent", Severity.BLOCK, "Consent missing", "AMA", (), False, "consent"
    )
    row = FindingRow(consent)
    qtbot.addWidget(row)
    assert row.toolTip() == "Go to “Consent obtained”"
    with qtbot.waitSignal(row.target_activated) as got, qtbot.assertNotEmitted(row.activated):
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert got.args == ["consent", 0]
    lot = Finding("documentation.lot", Severity.BLOCK, "No lot", "FDA", (2,), False, "lot")
    lot_row = FindingRow(lot)
    qtbot.addWidget(lot_row)
    assert lot_row.toolTip() == "Go to the lot of site 2"
    with qtbot.waitSignal(lot_row.target_activated) as got:
        qtbot.keyClick(lot_row, Qt.Key.Key_Space)
    assert got.args == ["lot", 2]
    plain = FindingRow(Finding("coding.no_sites", Severity.WARNING, "No sites", "ref"))
    qtbot.addWidget(plain)
    assert plain.toolTip() == ""
    with qtbot.assertNotEmitted(plain.target_activated), qtbot.assertNotEmitted(plain.activated):
        qtbot.mouseClick(plain, Qt.MouseButton.LeftButton)


def lung(number: int) -> Finding:
    return Finding("site.pneumothorax", Severity.INFO, f"Lung at site {number}.", "ref", (number,))


def test_info_notes_collapse_to_one_line_per_kind_warnings_stay_expanded(qtbot, panel):
    since = Finding("interval.since_last", Severity.INFO, "21 days since the last session.", "x")
    panel.set_assessment(assessment(OVER, BLEED, lung(1), lung(2), lung(3), since))
    panel.show()
    group = panel.groups[0]
    assert len(panel.groups) == 1
    assert group.header.text() == "INFO  Pneumothorax risk at the site: Sites 1, 2, 3 (3)"
    assert not group.expanded
    assert [r.isVisible() for r in group.rows] == [False, False, False]
    assert panel.rows[0].isVisible()  # the block
    assert panel.rows[1].isVisible()  # the warning
    lines = panel.text().splitlines()
    assert lines[1:] == [
        panel.rows[0].text(),
        panel.rows[1].text(),
        "INFO  Pneumothorax risk at the site: Sites 1, 2, 3 (3)",
        panel.rows[-1].text(),  # a kind with one note keeps its own row
    ]
    assert "Lung at site 2." not in panel.text()
    assert "Lung at site 2." in group.header.toolTip()


def test_an_expanded_kind_shows_each_note_clickable_and_stays_open(qtbot, panel):
    panel.set_assessment(assessment(lung(1), lung(4)))
    panel.show()
    qtbot.mouseClick(panel.groups[0].header, Qt.MouseButton.LeftButton)
    group = panel.groups[0]
    assert group.expanded
    qtbot.waitUntil(lambda: all(r.isVisible() for r in group.rows))
    assert "Lung at site 4." in panel.text()
    with qtbot.waitSignal(panel.site_activated) as clicked:
        qtbot.mouseClick(group.rows[1], Qt.MouseButton.LeftButton)
    assert clicked.args == [4]
    panel.set_assessment(assessment(lung(1), lung(4), lung(5)))  # the checks ran again
    assert panel.groups[0].expanded
    assert panel.groups[0].header.text().endswith("Sites 1, 4, 5 (3)")
    qtbot.mouseClick(panel.groups[0].header, Qt.MouseButton.LeftButton)
    panel.set_assessment(assessment(lung(1), lung(4)))
    assert not panel.groups[0].expanded


def test_the_count_is_of_sites_or_of_notes_without_sites():
    both = Finding("site.pneumothorax", Severity.INFO, "Lung.", "ref", (1, 2))
    assert group_text([both, lung(3)]) == "Pneumothorax risk at the site: Sites 1, 2, 3 (3)"
    plain = Finding("screening.keloid", Severity.INFO, "Keloid.", "ref")
    assert group_text([plain, plain]).endswith(" (2)")
