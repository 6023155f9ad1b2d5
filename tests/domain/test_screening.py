import pytest

from clinic_app.domain.screening import ScreeningAnswer, answer_of, parse_screening


@pytest.mark.parametrize(
    ("stored", "parsed"),
    [
        ({"answer": True, "note": "warfarin"}, ScreeningAnswer(True, "warfarin")),
        ({"answer": False, "note": ""}, ScreeningAnswer(False, "")),
        ({"answer": None, "note": "asked later"}, ScreeningAnswer(None, "asked later")),
        ({}, ScreeningAnswer()),
        ({"answer": "yes", "note": 3}, ScreeningAnswer()),  # damaged: not asked, no note
        (True, ScreeningAnswer(True)),  # a bare answer, as older drafts stored it
        (False, ScreeningAnswer(False)),
        (None, ScreeningAnswer()),
        ("yes", ScreeningAnswer()),
    ],
)
def test_parse_reads_the_stored_value(stored, parsed) -> None:
    assert ScreeningAnswer.parse(stored) == parsed


def test_to_json_is_the_stored_format_and_round_trips() -> None:
    answer = ScreeningAnswer(True, "apixaban")
    assert answer.to_json() == {"answer": True, "note": "apixaban"}
    assert ScreeningAnswer.parse(answer.to_json()) == answer


def test_recorded_when_there_is_an_answer_or_a_note() -> None:
    assert not ScreeningAnswer().recorded
    assert ScreeningAnswer(False).recorded
    assert ScreeningAnswer(None, "patient unsure").recorded


def test_parse_screening_and_answer_of() -> None:
    stored = {"anticoagulant": {"answer": True, "note": ""}, "pregnancy": False, "x": "?"}
    assert parse_screening(stored) == {
        "anticoagulant": ScreeningAnswer(True),
        "pregnancy": ScreeningAnswer(False),
        "x": ScreeningAnswer(),
    }
    assert parse_screening(None) == {}
    assert answer_of(stored, "anticoagulant") is True
    assert answer_of(stored, "pregnancy") is False
    assert answer_of(stored, "missing") is None
    assert answer_of(None, "anticoagulant") is None
