"""resources/fhir/codes.toml: every catalog muscle has a body site, every code has its source,
and a broken file stops the export with a sentence naming the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.fhir.codes import (
    FhirCodesError,
    default_codes,
    default_codes_path,
    load_codes,
)

SHIPPED = default_codes_path().read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def changed(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED, old
    return write(tmp_path, SHIPPED.replace(old, new, 1))


def test_every_catalog_muscle_has_a_body_site_with_its_source() -> None:
    codes = default_codes()
    for muscle in default_catalog():
        coded = codes.muscle(muscle.code)
        assert coded.system == "http://snomed.info/sct"
        assert re.fullmatch(r"\d{6,18}", coded.code)
        assert coded.display
        assert coded.source


def test_precise_codes_are_the_sourced_ones_and_the_rest_are_marked_fallbacks() -> None:
    codes = default_codes()
    assert codes.muscle("sternocleidomastoid").code == "22823000"
    assert not codes.muscle("sternocleidomastoid").fallback
    assert codes.muscle("trapezius_upper").fallback
    assert codes.muscle("trapezius_upper").code == "127954009"
    assert codes.muscle("deltoid").fallback  # a parent concept, with the reason in the file


def test_the_standard_codes_and_systems() -> None:
    codes = default_codes()
    assert {side: c.code for side, c in codes.laterality.items()} == {
        "right": "24028007",
        "left": "7771000",
        "bilateral": "51440002",
    }
    pain = codes.observations["pain"]
    assert (pain.coded.system, pain.coded.code, pain.unit) == (
        "http://loinc.org",
        "72514-3",
        "{score}",
    )
    assert codes.systems["icd10cm"] == "http://hl7.org/fhir/sid/icd-10-cm"
    assert codes.systems["cpt"] == "http://www.ama-assn.org/go/cpt"
    assert codes.document.coding() == {
        "system": "http://loinc.org",
        "code": "28570-0",
        "display": "Procedure note",
    }


def test_a_muscle_the_codes_file_does_not_know_is_named() -> None:
    with pytest.raises(FhirCodesError, match="'nonesuch': has no SNOMED CT body-site entry"):
        default_codes().muscle("nonesuch")


def test_a_catalog_muscle_left_out_stops_the_load(tmp_path: Path) -> None:
    path = changed(tmp_path, '[[muscle]]\ncode = "soleus"\nfallback = true\n', "")
    with pytest.raises(FhirCodesError, match=r"no body-site entry for the catalog muscle.* soleus"):
        load_codes(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'code = "soleus"\nfallback = true',
            'code = "soleus"\nfallback = false',
            "fallback must be true when the entry gives no snomed code",
        ),
        ('code = "soleus"\n', 'code = "solus"\n', "code is not a muscle of the catalog"),
        ('snomed = "52927003"', 'snomed = "52927OO3"', "must be a SNOMED CT identifier"),
        (
            'note = "parent concept: no confirmed code for the supraspinatus itself"\n',
            "",
            "note must say why a parent concept is used",
        ),
        ('side = "bilateral"', 'side = "both"', "side must be one of left, right, bilateral"),
        ('key = "odi"', 'key = "odq"', r"no \[\[observation\]\] entry for odi"),
        ('system = "outcome_measure"', 'system = "nope"', "'nope' is not a key of"),
        ('code = "28570-0"', 'code = "28570-0"\nextra = 1', "unknown field 'document.extra'"),
        ('loinc = "http://loinc.org"', 'loinc = "loinc.org"', "must be a URI"),
    ],
)
def test_a_broken_entry_is_refused_with_its_reason(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(FhirCodesError, match=message):
        load_codes(changed(tmp_path, old, new))


def test_the_document_type_names_a_known_system(tmp_path: Path) -> None:
    path = changed(tmp_path, 'system = "loinc"\ncode = "28570-0"', 'system = "x"\ncode = "28570-0"')
    with pytest.raises(FhirCodesError, match="'x' is not a key of"):
        load_codes(path)


def test_a_missing_laterality_is_refused(tmp_path: Path) -> None:
    start = SHIPPED.index('[[laterality]]\nside = "bilateral"')
    end = SHIPPED.index("# ----", start)
    with pytest.raises(FhirCodesError, match=r"no \[\[laterality\]\] entry for bilateral"):
        load_codes(write(tmp_path, SHIPPED[:start] + SHIPPED[end:]))
