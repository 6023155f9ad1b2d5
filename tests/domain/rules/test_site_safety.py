"""Danger structures, both sides of the chest, expired lots, technique vs doses (§2, §6)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.rules import Severity, assess, default_rules

from .helpers import (
    INJ,
    TODAY,
    L,
    R,
    dose,
    encounter,
    needled,
    only,
    patient,
    rules,
    run,
    site,
)


def test_pneumothorax_and_nearby_structures_are_flagged_per_muscle() -> None:
    sites = (
        site(1, "trapezius_upper", L), site(3, "trapezius_upper", L), site(2, "piriformis", R),
        site(4, "scalenes", L), site(5, "deltoid", L),
    )  # fmt: skip
    result = run(encounter(*sites))
    infos = [(f.rule, f.sites, f.message) for f in result.infos]
    assert infos == [
        ("site.pneumothorax", (1, 3), "Sites 1 and 3 (Trapezius (upper)): lung apex nearby, "
         "pneumothorax risk; symptoms can start hours to days later."),
        ("site.nearby_structure", (2,), "Site 2 (Piriformis): sciatic nerve nearby."),
        ("site.pneumothorax", (4,), "Site 4 (Scalenes): lung apex and brachial plexus nearby, "
         "pneumothorax risk; symptoms can start hours to days later."),
    ]  # fmt: skip
    assert result.can_sign


def test_a_lung_muscle_without_listed_structures_names_the_lung() -> None:
    muscles = [
        dataclasses.replace(m, nearby_structures=()) if m.code == "rhomboids" else m
        for m in default_catalog()
    ]
    result = assess(encounter(site(1, "rhomboids", L)), patient(), catalog=Catalog(muscles))
    assert only(result, "site.pneumothorax").message.startswith("Site 1 (Rhomboids): lung nearby")


@pytest.mark.parametrize(
    ("places", "warns"),
    [
        ((("rhomboids", L), ("serratus_anterior", R)), True),
        ((("trapezius_middle", L), ("thoracic_paraspinals", R)), True),
        ((("pectoralis_major", R), ("latissimus_dorsi", L)), True),
        # neck / lung apex: a per-site note and the handout, not a bilateral warning (issue 12)
        ((("trapezius_upper", R), ("levator_scapulae", L)), False),
        ((("trapezius_upper", L), ("trapezius_upper", R)), False),
        ((("scalenes", L), ("rhomboids", R)), False),
        ((("trapezius_upper", L), ("rhomboids", L)), False),
        ((("trapezius_upper", L), ("deltoid", R)), False),
        ((("piriformis", L), ("piriformis", R)), False),
    ],
)
def test_both_sides_of_the_chest_wall_warn(
    places: tuple[tuple[str, Side], ...], warns: bool
) -> None:
    sites = [site(n, m, s) for n, (m, s) in enumerate(places, start=1)]
    result = run(encounter(*sites))
    assert ("site.bilateral_chest_wall" in rules(result)) is warns


def test_both_sides_message() -> None:
    sites = (site(1, "trapezius_lower", L), site(2, "rhomboids", L), site(3, "rhomboids", R))
    finding = only(run(encounter(*sites)), "site.bilateral_chest_wall")
    assert finding.message == (
        "Muscles over the lung are needled on both sides in one session (left: sites 1 and 2; "
        "right: site 3): a safety guideline advises against needling both sides of the chest "
        "wall at one visit."
    )
    assert finding.source.startswith("SA dry-needling safety guideline")
    assert (finding.severity, finding.needs_reason, finding.sites) == (
        Severity.WARNING,
        True,
        (1, 2, 3),
    )


@pytest.mark.parametrize(("days", "blocks"), [(-1, True), (0, False), (30, False)])
def test_expired_lot_blocks(days: int, blocks: bool) -> None:
    expires = TODAY + timedelta(days=days)
    result = run(encounter(site(1, "deltoid", L, INJ, dose("lidocaine_1", "1", expires))))
    assert ("site.lot_expired" in rules(result)) is blocks
    assert result.can_sign is not blocks


def test_expired_lot_message_groups_sites() -> None:
    old = TODAY - timedelta(days=3)
    sites = (
        site(1, "deltoid", L, INJ, dose("lidocaine_1", "1", old)),
        site(2, "deltoid", R, INJ, dose("lidocaine_1", "1", old), dose("mystery", "1", old)),
    )
    messages = [f.message for f in run(encounter(*sites)).findings if f.rule == "site.lot_expired"]
    assert messages == [
        "Lidocaine 1% lot expired on 2025-02-28 (sites 1 and 2); use a lot in date.",
        "mystery lot expired on 2025-02-28 (site 2); use a lot in date.",
    ]


def test_a_recalled_lot_blocks_once_per_lot() -> None:
    bad = dataclasses.replace(dose("lidocaine_1"), lot_number="L-9", lot_recalled=True)
    other = dataclasses.replace(dose("mystery"), lot_number="M-1", lot_recalled=True)
    fine = dataclasses.replace(dose("lidocaine_1"), lot_number="L-10")
    result = run(
        encounter(
            site(1, "deltoid", L, INJ, bad),
            site(2, "deltoid", R, INJ, bad, other),
            site(3, "trapezius_upper", R, INJ, fine),
        )
    )
    found = [(f.message, f.sites) for f in result.findings if f.rule == "site.lot_recalled"]
    assert found == [
        ("Lidocaine 1% lot L-9 has been recalled (sites 1 and 2); choose another lot.", (1, 2)),
        ("mystery lot M-1 has been recalled (site 2); choose another lot.", (2,)),
    ]
    assert not result.can_sign
    assert "site.lot_recalled" not in rules(run(encounter(site(1, "deltoid", L, INJ, fine))))


def test_unknown_muscle_blocks() -> None:
    result = run(encounter(site(1, "left_pinky", L), site(2, "left_pinky", R), site(3)))
    finding = only(result, "site.unknown_muscle")
    assert finding.message == "Sites 1 and 2: muscle 'left_pinky' is not in the catalog."
    assert finding.severity is Severity.BLOCK
    assert result.coding.cpt[0].description.endswith(": left deltoid")


def test_injection_without_a_drug_and_dry_needling_with_one_warn() -> None:
    sites = (
        dataclasses.replace(site(1), doses=()),
        dataclasses.replace(site(2, "deltoid", R), doses=()),
        dataclasses.replace(needled(3, "gluteus_medius"), doses=(dose(),)),
        needled(4, "gluteus_medius", R),
    )
    result = run(encounter(*sites))
    assert only(result, "site.injection_without_dose").message == (
        "Sites 1 and 2: charted as injection with no drug recorded."
    )
    assert only(result, "site.dose_on_dry_needling").message == (
        "Site 3: charted as dry needling but a drug is recorded; change the technique or remove "
        "the drug."
    )
    assert result.can_sign
    assert [line.code for line in result.coding.cpt] == ["20552", "20560"]


def test_trapezius_upper_and_levator_are_notes_only() -> None:
    """The neck visit of issue 12: no typed reason, two INFO notes (and the handout box)."""
    result = run(encounter(site(1, "trapezius_upper", R), site(2, "levator_scapulae", L)))
    assert not result.reasons_needed
    assert [(f.rule, f.severity) for f in result.findings] == [
        ("site.pneumothorax", Severity.INFO),
        ("site.pneumothorax", Severity.INFO),
    ]


def test_the_chest_wall_list_is_data_with_a_source() -> None:
    """Every listed muscle is in the catalog, over the lung, and no neck muscle is listed."""
    chest = default_rules().chest_wall
    catalog = default_catalog()
    assert chest.source.startswith("SA dry-needling safety guideline")
    for code in chest.muscles:
        assert catalog.get(code).pneumothorax_risk, code
    assert {"trapezius_upper", "levator_scapulae", "scalenes"}.isdisjoint(chest.muscles)
    lung = {m.code for m in catalog if m.pneumothorax_risk}
    assert lung - chest.muscles == {"trapezius_upper", "levator_scapulae", "scalenes"}


def test_a_custom_chest_wall_list_is_used() -> None:
    book = default_rules()
    custom = dataclasses.replace(
        book, chest_wall=dataclasses.replace(book.chest_wall, muscles=frozenset({"deltoid"}))
    )
    both = encounter(site(1, "deltoid", L), site(2, "deltoid", R))
    result = assess(both, patient(), rules=custom)
    assert "site.bilateral_chest_wall" in rules(result)
