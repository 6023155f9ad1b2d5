"""The sign dialog on its own: blocks, required reasons, refusals kept in the dialog."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, ValidationError
from clinic_app.domain.rules import Assessment, CodingSummary, Finding, Severity
from clinic_app.services.dto import EncounterInput, EncounterView
from clinic_app.ui.encounter.form_parts import SignatureBox
from clinic_app.ui.encounter.sign_dialog import (
    BLOCKED_TEXT,
    READY_TEXT,
    REASONS_TEXT,
    SignDialog,
    signed_line,
)

NO_CODES = CodingSummary((), (), (), coder_review=False)
BLOCK = Finding("screening.infection", Severity.BLOCK, "Infection at the site.", "ref")
BLEED = Finding(
    "screening.anticoagulant", Severity.WARNING, "On an anticoagulant.", "ref", needs_reason=True
)
NOTE = Finding("site.pneumothorax", Severity.INFO, "Pneumothorax risk.", "ref", (1,))
SIGNED = EncounterView(
    1,
    1,
    1,
    "Ana Ruiz",
    datetime(2026, 1, 5, 10, tzinfo=UTC),
    EncounterStatus.SIGNED,
    3,
    EncounterInput(),
    (),
    signed_by_id=1,
    signed_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
    overrides=(("screening.anticoagulant", "On an anticoagulant.", "INR checked"),),
)


def make(qtbot, *findings: Finding, sign=None) -> SignDialog:
    calls: list[dict[str, str]] = []

    def default_sign(reasons):
        calls.append(dict(reasons))
        return SIGNED

    dialog = SignDialog(Assessment(findings, (), NO_CODES), sign or default_sign)
    dialog.calls = calls  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    return dialog


def test_a_block_disables_sign_and_says_why(qtbot):
    dialog = make(qtbot, BLOCK, BLEED, NOTE)
    assert not dialog.sign_button.isEnabled()
    assert dialog.status.text() == BLOCKED_TEXT
    dialog.reasons["screening.anticoagulant"].setText("reason")
    assert not dialog.sign_button.isEnabled()


def test_every_needed_reason_is_required(qtbot):
    dialog = make(qtbot, BLEED, NOTE)
    assert not dialog.sign_button.isEnabled()
    assert dialog.status.text() == REASONS_TEXT
    dialog.reasons["screening.anticoagulant"].setText("   ")
    assert not dialog.sign_button.isEnabled()
    dialog.reasons["screening.anticoagulant"].setText(" INR checked ")
    assert dialog.sign_button.isEnabled()
    assert dialog.status.text() == READY_TEXT
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_button.click()
    assert dialog.calls == [{"screening.anticoagulant": "INR checked"}]  # type: ignore[attr-defined]
    assert dialog.signed == SIGNED


@pytest.mark.parametrize(
    "error",
    [ValidationError("checks", "Refused: infection."), ConflictError("Only a provider signs.")],
)
def test_a_refusal_stays_in_the_dialog(qtbot, error):
    def refuse(_reasons):
        raise error

    dialog = make(qtbot, NOTE, sign=refuse)
    dialog.show()
    with qtbot.assertNotEmitted(dialog.accepted):
        dialog.sign_button.click()
    assert dialog.isVisible()
    assert dialog.status.text() == f"Not signed: {error}"
    assert dialog.signed is None


def test_signature_box_lists_the_overrides(qtbot):
    box = SignatureBox()
    qtbot.addWidget(box)
    line = signed_line(SIGNED, "Ana Ruiz")
    assert line.startswith("Signed by Ana Ruiz on 2026-01-0")
    box.set_signature(line, SIGNED.overrides)
    assert "• On an anticoagulant. → INR checked" in box.text()
    box.set_signature(line, ())
    assert "No warning was overridden." in box.text()


PICKED = Finding(
    "screening.anticoagulant",
    Severity.WARNING,
    "On an anticoagulant.",
    "ref",
    needs_reason=True,
    picks=("INR checked and in range.", "Pressure held until dry."),
)


def test_a_standard_reason_is_picked_and_signed_as_its_text(qtbot):
    dialog = make(qtbot, PICKED, NOTE)
    combo = dialog.picks["screening.anticoagulant"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Standard reason…", "INR checked and in range.", "Pressure held until dry.",
        "Other… (type below)",
    ]  # fmt: skip
    assert not dialog.sign_button.isEnabled()
    combo.setCurrentIndex(2)
    assert dialog.reasons["screening.anticoagulant"].text() == "Pressure held until dry."
    assert dialog.sign_button.isEnabled()
    dialog.sign_button.click()
    assert dialog.calls == [{"screening.anticoagulant": "Pressure held until dry."}]


def test_other_clears_a_pick_for_free_text(qtbot):
    dialog = make(qtbot, PICKED)
    combo, edit = dialog.picks["screening.anticoagulant"], dialog.reasons["screening.anticoagulant"]
    combo.setCurrentIndex(1)
    combo.setCurrentIndex(combo.count() - 1)
    assert edit.text() == ""
    assert not dialog.sign_button.isEnabled()
    combo.setCurrentIndex(0)
    edit.setText("Stopped two days ago on the cardiologist's advice")
    combo.setCurrentIndex(combo.count() - 1)  # typed text is kept
    assert edit.text() == "Stopped two days ago on the cardiologist's advice"
    dialog.sign_button.click()
    assert dialog.calls == [
        {"screening.anticoagulant": "Stopped two days ago on the cardiologist's advice"}
    ]


def test_a_warning_without_standard_reasons_has_no_pick(qtbot):
    assert make(qtbot, BLEED).picks == {}
