"""The audit hash chain, pure: every kind of tampering is named, with the row at fault."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from clinic_app.domain.audit_chain import (
    AuditFacts,
    Problem,
    StoredHead,
    StoredRow,
    entry_hmac,
    genesis_hmac,
    head_hmac,
    key_id,
    seal_entry,
    verify_chain,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def facts(n: int, action: str = "encounter.read") -> AuditFacts:
    return AuditFacts(
        at=START + timedelta(minutes=n, microseconds=n),
        user_id=1,
        action=action,
        patient_id=100 + n,
        entity_type="encounter",
        entity_id=n,
        workstation="front-desk-1",
    )


def chain(sealed: int, legacy: int = 0, key: bytes = KEY) -> tuple[list[StoredRow], StoredHead]:
    """``legacy`` unsealed rows then ``sealed`` sealed ones (ids from 1), and their head."""
    rows = [StoredRow(i + 1, facts(i), None) for i in range(legacy)]
    prev = genesis_hmac(key, [(r.id, r.facts) for r in rows])
    for seq in range(1, sealed + 1):
        seal = seal_entry(key, facts(legacy + seq), seq, prev)
        rows.append(StoredRow(legacy + seq, facts(legacy + seq), seal))
        prev = seal.hmac
    return rows, head(sealed, prev, key)


def head(seq: int, last: str, key: bytes = KEY) -> StoredHead:
    return StoredHead(seq, last, key_id(key), head_hmac(key, seq, last))


def test_an_untouched_chain_is_intact() -> None:
    rows, top = chain(5)
    report = verify_chain(KEY, rows, top)
    assert report.ok
    assert (report.problem, report.row_id, report.sealed, report.legacy) == (None, None, 5, 0)
    assert report.message == "The audit trail is intact: 5 sealed entries."


def test_a_new_database_is_intact_with_or_without_its_head_row() -> None:
    assert verify_chain(KEY, [], StoredHead(0, "", "", "")).ok
    assert verify_chain(KEY, [], None).ok


def test_rows_from_before_the_chain_are_sealed_by_the_first_entry() -> None:
    waiting = [StoredRow(1, facts(0), None), StoredRow(2, facts(1), None)]
    report = verify_chain(KEY, waiting, StoredHead(0, "", "", ""))
    assert report.ok
    assert "2 row(s) from before the chain are not sealed yet" in report.message
    rows, top = chain(3, legacy=2)
    report = verify_chain(KEY, rows, top)
    assert report.ok
    assert report.legacy == 2
    assert "the 2 row(s) from before the chain are in its first seal" in report.message


def test_a_changed_pre_chain_row_is_seen_at_the_first_sealed_entry() -> None:
    rows, top = chain(3, legacy=2)
    rows[0] = dataclasses.replace(rows[0], facts=facts(0, action="encounter.sign"))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.LEGACY_CHANGED, 3)


def test_an_edited_row_is_named() -> None:
    rows, top = chain(5)
    rows[2] = dataclasses.replace(rows[2], facts=dataclasses.replace(rows[2].facts, user_id=9))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.CHANGED, 3)
    assert "Row 3 was changed" in report.message
    assert not report.ok


def test_an_edited_last_row_is_named() -> None:
    rows, top = chain(4)
    rows[-1] = dataclasses.replace(rows[-1], facts=facts(4, action="patient.update"))
    assert verify_chain(KEY, rows, top).row_id == 4
    assert verify_chain(KEY, rows, top).problem is Problem.CHANGED


def test_a_deleted_row_is_named_by_the_row_after_the_gap() -> None:
    rows, top = chain(5)
    del rows[1]
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.MISSING, 3)
    assert "Entries #2–#2 are missing before row 3" in report.message


def test_swapped_rows_are_an_order_change() -> None:
    rows, top = chain(5)
    second, fourth = rows[1], rows[3]
    rows[1] = StoredRow(second.id, fourth.facts, fourth.seal)
    rows[3] = StoredRow(fourth.id, second.facts, second.seal)
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.ORDER, 2)
    assert "entry #2 belongs (that one is at row 4)" in report.message


def test_a_forged_row_in_the_middle_is_an_insertion() -> None:
    rows, top = chain(4)
    forged_seal = dataclasses.replace(rows[1].seal, hmac="0" * 64)  # type: ignore[type-var]
    rows.insert(2, StoredRow(99, facts(50), forged_seal))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 99)
    assert "inserted" in report.message


def test_a_forged_row_after_the_last_is_an_insertion() -> None:
    rows, top = chain(3)
    assert rows[-1].seal is not None
    forged = seal_entry(OTHER_KEY, facts(9), 4, rows[-1].seal.hmac)
    rows.append(StoredRow(4, facts(9), dataclasses.replace(forged, key_id=key_id(KEY))))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 4)


def test_an_unsealed_row_among_sealed_ones_is_an_insertion() -> None:
    rows, top = chain(3)
    rows.append(StoredRow(4, facts(9), None))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 4)
    assert "no seal" in report.message


def test_a_repeated_entry_is_an_insertion() -> None:
    rows, top = chain(3)
    rows.append(StoredRow(4, rows[1].facts, rows[1].seal))
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 4)
    assert "repeats entry #2" in report.message


def test_an_entry_from_another_chain_in_its_place_does_not_follow() -> None:
    rows, top = chain(4)
    other, _ = chain(4, legacy=1)
    rows[2] = StoredRow(3, other[3].facts, other[3].seal)  # also entry #3, other links
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 3)
    assert "does not follow" in report.message


def test_a_row_sealed_with_another_key_names_its_workstation() -> None:
    rows, top = chain(3, key=OTHER_KEY)
    report = verify_chain(KEY, rows, top)
    assert (report.problem, report.row_id) == (Problem.OTHER_KEY, 1)
    assert "front-desk-1" in report.message
    assert key_id(OTHER_KEY) in report.message


@pytest.mark.parametrize(("cut", "text"), [(1, "The last 1 entry is missing"), (2, "entries are")])
def test_a_cut_tail_is_seen_through_the_head(cut: int, text: str) -> None:
    rows, top = chain(5)
    report = verify_chain(KEY, rows[:-cut], top)
    assert report.problem is Problem.TRUNCATED
    assert text in report.message
    assert f"after row {5 - cut}" in report.message


def test_an_emptied_table_is_seen_through_the_head() -> None:
    _rows, top = chain(2)
    report = verify_chain(KEY, [], top)
    assert (report.problem, report.row_id) == (Problem.TRUNCATED, None)
    assert "after row" not in report.message


def test_a_missing_or_forged_head_is_reported() -> None:
    rows, top = chain(3)
    assert verify_chain(KEY, rows, None).problem is Problem.HEAD
    forged = dataclasses.replace(top, seq=2, last_hmac=rows[1].seal.hmac)  # type: ignore[union-attr]
    assert verify_chain(KEY, rows[:2], forged).problem is Problem.HEAD
    other = head(3, top.last_hmac, OTHER_KEY)
    assert verify_chain(KEY, rows, other).problem is Problem.HEAD


def test_rows_beyond_a_replayed_head_are_insertions() -> None:
    rows, _top = chain(4)
    old_head = head(2, rows[1].seal.hmac)  # type: ignore[union-attr]
    report = verify_chain(KEY, rows, old_head)
    assert (report.problem, report.row_id) == (Problem.INSERTED, 3)


def test_a_head_naming_another_last_entry_is_reported() -> None:
    rows, _top = chain(3)
    report = verify_chain(KEY, rows, head(3, "f" * 64))
    assert (report.problem, report.row_id) == (Problem.HEAD, 3)


def test_the_seal_covers_every_fact_the_number_and_the_link() -> None:
    base = entry_hmac(KEY, facts(1), 1, "a" * 64)
    changed = [
        entry_hmac(KEY, dataclasses.replace(facts(1), **{name: value}), 1, "a" * 64)
        for name, value in (
            ("at", facts(1).at + timedelta(microseconds=1)),
            ("user_id", None),
            ("action", "encounter.sign"),
            ("patient_id", 7),
            ("entity_type", "patient"),
            ("entity_id", None),
            ("workstation", "other"),
        )
    ]
    changed += [
        entry_hmac(KEY, facts(1), 2, "a" * 64),
        entry_hmac(OTHER_KEY, facts(1), 1, "a" * 64),
    ]
    changed.append(entry_hmac(KEY, facts(1), 1, "b" * 64))
    assert base not in changed
    assert len(set(changed)) == len(changed)


def test_the_same_instant_in_another_zone_seals_the_same() -> None:
    here = facts(1)
    elsewhere = dataclasses.replace(here, at=here.at.astimezone(timezone(timedelta(hours=-5))))
    assert entry_hmac(KEY, here, 1, "") == entry_hmac(KEY, elsewhere, 1, "")


def test_a_naive_time_is_refused() -> None:
    naive = dataclasses.replace(facts(1), at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="time zone"):
        entry_hmac(KEY, naive, 1, "")


def test_a_key_id_is_short_and_differs_per_key() -> None:
    assert len(key_id(KEY)) == 16
    assert key_id(KEY) != key_id(OTHER_KEY)
    assert KEY.hex() not in key_id(KEY)
