"""The formulary seed: exact decimals, the shipped entries and the loader's checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from clinic_app.domain.enums import DoseUnit
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.formulary import (
    ConcentrationUnit,
    DrugClass,
    FormularyEntry,
    FormularyError,
    default_formulary,
    default_formulary_path,
    load_formulary,
    percent_to_mg_per_ml,
)
from clinic_app.domain.resource_files import resource

SEED_CODES = [
    "lidocaine_0_5", "lidocaine_1", "lidocaine_2", "bupivacaine_0_25", "bupivacaine_0_5",
    "triamcinolone_40", "methylprednisolone_acetate_40", "dexamethasone_4",
    "onabotulinumtoxina_50", "saline_0_9",
]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> dict[str, FormularyEntry]:
    return {entry.code: entry for entry in load_formulary()}


def test_seed_has_all_ten_entries_in_order() -> None:
    assert [entry.code for entry in load_formulary()] == SEED_CODES
    assert default_formulary() is default_formulary()
    assert default_formulary_path() == resource("formulary", "formulary.toml")


def test_decimals_are_exact(seed: dict[str, FormularyEntry]) -> None:
    lido = seed["lidocaine_1"]
    assert isinstance(lido.concentration, Decimal)
    assert lido.concentration == Decimal("10")
    assert lido.concentration == percent_to_mg_per_ml(Decimal("1"))
    assert str(seed["bupivacaine_0_25"].concentration) == "2.5"
    assert str(seed["lidocaine_0_5"].concentration) == "5"
    assert str(lido.max_mg_per_kg) == "4.5"
    assert str(seed["dexamethasone_4"].triamcinolone_equivalent_factor) == "5.33"
    for entry in seed.values():
        for value in (entry.concentration, entry.billing_unit_amount, entry.max_mg_per_kg,
                      entry.max_total_mg, entry.triamcinolone_equivalent_factor):  # fmt: skip
            assert value is None or isinstance(value, Decimal)


def test_local_anesthetics(seed: dict[str, FormularyEntry]) -> None:
    for code in ("lidocaine_0_5", "lidocaine_1", "lidocaine_2"):
        entry = seed[code]
        assert entry.drug_class is DrugClass.LOCAL_ANESTHETIC
        assert (entry.max_mg_per_kg, entry.max_total_mg) == (Decimal("4.5"), Decimal("300"))
        assert entry.hcpcs_code is None
        assert not entry.epinephrine
        assert entry.dose_unit is DoseUnit.MG
    for code in ("bupivacaine_0_25", "bupivacaine_0_5"):
        entry = seed[code]
        assert (entry.max_mg_per_kg, entry.max_total_mg) == (Decimal("2"), Decimal("175"))
        assert entry.triamcinolone_equivalent_factor is None


def test_billed_drugs(seed: dict[str, FormularyEntry]) -> None:
    billed = {
        code: (entry.hcpcs_code, entry.billing_unit_amount, entry.billing_unit)
        for code, entry in seed.items()
        if entry.hcpcs_code
    }
    assert billed == {
        "triamcinolone_40": ("J3301", Decimal("10"), DoseUnit.MG),
        "methylprednisolone_acetate_40": ("J1010", Decimal("1"), DoseUnit.MG),
        "dexamethasone_4": ("J1100", Decimal("1"), DoseUnit.MG),
        "onabotulinumtoxina_50": ("J0585", Decimal("1"), DoseUnit.UNITS),
    }
    assert seed["methylprednisolone_acetate_40"].triamcinolone_equivalent_factor == 1
    botox = seed["onabotulinumtoxina_50"]
    assert botox.concentration == Decimal("50")
    assert botox.concentration_unit is ConcentrationUnit.UNITS_PER_ML


def test_saline_is_volume_only(seed: dict[str, FormularyEntry]) -> None:
    saline = seed["saline_0_9"]
    assert saline.drug_class is DrugClass.SALINE
    assert saline.concentration == 0
    assert saline.concentration_unit is ConcentrationUnit.NONE
    assert saline.dose_unit is DoseUnit.NONE
    assert saline.strength_label == "0.9%"
    assert saline.hcpcs_code is None


@pytest.mark.parametrize(
    ("percent", "expected"),
    [("1", "10"), ("0.25", "2.5"), ("0.5", "5"), ("2", "20"), ("0.125", "1.25"), ("10", "100")],
)
def test_percent_to_mg_per_ml(percent: str, expected: str) -> None:
    result = percent_to_mg_per_ml(Decimal(percent))
    assert str(result) == expected


@pytest.mark.parametrize("bad", ["-1", "NaN", "Infinity"])
def test_percent_to_mg_per_ml_rejects_nonsense(bad: str) -> None:
    with pytest.raises(ValueError, match="finite number"):
        percent_to_mg_per_ml(Decimal(bad))


# ---------------------------------------------------------------- broken files

Entry = dict[str, object]


def lidocaine() -> Entry:
    return {
        "code": "lidocaine_1",
        "name": "Lidocaine 1%",
        "generic": "lidocaine",
        "drug_class": "local_anesthetic",
        "concentration": "10",
        "concentration_unit": "mg/mL",
        "strength_label": "1%",
        "epinephrine": False,
        "max_mg_per_kg": "4.5",
        "max_total_mg": "300",
        "source": "test",
    }


def kenalog() -> Entry:
    return {
        "code": "triamcinolone_40",
        "name": "Triamcinolone 40 mg/mL",
        "generic": "triamcinolone acetonide",
        "drug_class": "corticosteroid",
        "concentration": "40",
        "concentration_unit": "mg/mL",
        "strength_label": "40 mg/mL",
        "epinephrine": False,
        "hcpcs_code": "J3301",
        "billing_unit_amount": "10",
        "billing_unit": "mg",
        "triamcinolone_equivalent_factor": "1",
        "source": "test",
    }


def saline() -> Entry:
    return {
        "code": "saline_0_9",
        "name": "Normal saline 0.9%",
        "generic": "sodium chloride",
        "drug_class": "saline",
        "concentration": "0",
        "concentration_unit": "none",
        "strength_label": "0.9%",
        "epinephrine": False,
        "source": "test",
    }


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def write_formulary(tmp_path: Path, entries: list[Entry]) -> Path:
    chunks = []
    for entry in entries:
        lines = [f"{key} = {toml_value(value)}" for key, value in entry.items()]
        chunks.append("[[medication]]\n" + "\n".join(lines) + "\n")
    path = tmp_path / "formulary.toml"
    path.write_text("\n".join(chunks), encoding="utf-8")
    return path


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    botox = kenalog() | {
        "code": "botox_25", "drug_class": "botulinum_toxin", "concentration": "25",
        "concentration_unit": "units/mL", "strength_label": "25 units/mL", "hcpcs_code": "J0585",
        "billing_unit_amount": "1", "billing_unit": "units",
    }  # fmt: skip
    del botox["triamcinolone_equivalent_factor"]
    epi = lidocaine() | {"code": "lidocaine_1_epi", "epinephrine": True}
    entries = load_formulary(write_formulary(tmp_path, [lidocaine(), kenalog(), saline(), botox,
                                                        epi]))  # fmt: skip
    assert [e.code for e in entries] == ["lidocaine_1", "triamcinolone_40", "saline_0_9",
                                         "botox_25", "lidocaine_1_epi"]  # fmt: skip
    assert entries[3].dose_unit is DoseUnit.UNITS
    assert entries[4].epinephrine


def _change(factory: Callable[[], Entry], **changes: object) -> Callable[[], Entry]:
    def make() -> Entry:
        entry = factory()
        for key, value in changes.items():
            if value is None:
                del entry[key]
            else:
                entry[key] = value
        return entry

    return make


BROKEN = [
    pytest.param(_change(lidocaine, max_total_mg=None), "lidocaine_1",
                 "max_total_mg is missing (required for every local_anesthetic)", id="no-cap"),
    pytest.param(_change(lidocaine, name=None, source=None), "lidocaine_1",
                 "name, source are missing", id="missing-two"),
    pytest.param(_change(lidocaine, code=None), "medication #2", "code is missing",
                 id="missing-code"),
    pytest.param(_change(lidocaine, code="Lido-1"), "medication #2",
                 "code 'Lido-1' must be lowercase snake_case", id="code-not-snake"),
    pytest.param(_change(lidocaine, concentration=10.0), "lidocaine_1",
                 "concentration must be a decimal written as a string", id="float"),
    pytest.param(_change(lidocaine, concentration=10), "lidocaine_1",
                 "concentration must be a decimal written as a string", id="int"),
    pytest.param(_change(lidocaine, concentration="1e1"), "lidocaine_1",
                 "concentration must be a decimal written as a string", id="exponent"),
    pytest.param(_change(lidocaine, concentration="0"), "lidocaine_1",
                 "concentration must be more than 0", id="zero"),
    pytest.param(_change(lidocaine, name=""), "lidocaine_1", "name must not be empty",
                 id="empty-name"),
    pytest.param(_change(lidocaine, name=True), "lidocaine_1",
                 "name must be a string, not a boolean", id="name-type"),
    pytest.param(_change(lidocaine, drug_class="opioid"), "lidocaine_1",
                 "drug_class 'opioid' is not one of local_anesthetic", id="bad-class"),
    pytest.param(_change(lidocaine, concentration_unit="units/mL"), "lidocaine_1",
                 "concentration_unit for local_anesthetic must be mg/mL", id="class-unit"),
    pytest.param(_change(saline, concentration="9", code="saline_9"), "saline_9",
                 'concentration must be "0" when concentration_unit is none', id="saline-dose"),
    pytest.param(_change(lidocaine, strength_label="2%"), "lidocaine_1",
                 "strength_label '2%' does not match concentration 10 mg/mL", id="label-pct"),
    pytest.param(_change(lidocaine, strength_label="one%"), "lidocaine_1",
                 "strength_label 'one%' does not match", id="label-not-number"),
    pytest.param(_change(kenalog, strength_label="40mg/mL"), "triamcinolone_40",
                 "strength_label '40mg/mL' does not match concentration 40 mg/mL", id="label"),
    pytest.param(_change(kenalog, strength_label="5%"), "triamcinolone_40",
                 "strength_label '5%' does not match", id="label-pct-mismatch"),
    pytest.param(_change(lidocaine, epinephrine="no"), "lidocaine_1",
                 "epinephrine must be true or false", id="epi-type"),
    pytest.param(_change(kenalog, epinephrine=True), "triamcinolone_40",
                 "epinephrine can only be true for a local anesthetic", id="epi-steroid"),
    pytest.param(_change(lidocaine, hcpcs_code="J2001"), "lidocaine_1",
                 "local_anesthetic has no drug HCPCS code", id="hcpcs-anesthetic"),
    pytest.param(_change(kenalog, billing_unit=None), "triamcinolone_40",
                 "billing_unit missing: give all of hcpcs_code", id="partial-billing"),
    pytest.param(_change(kenalog, hcpcs_code="3301"), "triamcinolone_40",
                 "hcpcs_code '3301' must be a HCPCS Level II code", id="hcpcs-pattern"),
    pytest.param(_change(kenalog, billing_unit="units"), "triamcinolone_40",
                 "billing_unit must be mg for a drug measured in mg/mL", id="billing-unit"),
    pytest.param(_change(kenalog, billing_unit="U"), "triamcinolone_40",
                 "billing_unit 'U' is not one of", id="billing-unit-abbrev"),
    pytest.param(_change(kenalog, max_total_mg="300"), "triamcinolone_40",
                 "max_total_mg applies only to local_anesthetic entries", id="cap-on-steroid"),
    pytest.param(_change(kenalog, triamcinolone_equivalent_factor=None), "triamcinolone_40",
                 "triamcinolone_equivalent_factor is missing", id="no-factor"),
    pytest.param(_change(lidocaine, triamcinolone_equivalent_factor="1"), "lidocaine_1",
                 "triamcinolone_equivalent_factor applies only to corticosteroid",
                 id="factor-on-anesthetic"),
    pytest.param(_change(lidocaine, color="red"), "lidocaine_1", "unknown field 'color'",
                 id="extra-field"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "entry", "problem"), BROKEN)
def test_broken_entry_is_named(
    tmp_path: Path, make: Callable[[], Entry], entry: str, problem: str
) -> None:
    path = write_formulary(tmp_path, [saline(), make()])
    with pytest.raises(FormularyError) as info:
        load_formulary(path)
    error = info.value
    assert isinstance(error, ClinicError)
    assert error.path == path
    assert error.entry == entry
    assert problem in str(error)
    assert str(error).startswith(f"formulary.toml, entry {entry!r}: ")


def test_duplicate_code(tmp_path: Path) -> None:
    with pytest.raises(FormularyError) as info:
        load_formulary(write_formulary(tmp_path, [lidocaine(), saline(), lidocaine()]))
    assert str(info.value) == (
        "formulary.toml, entry 'lidocaine_1': duplicate code (medication #1 has it too)"
    )


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        pytest.param('[[medication]]\ncode = "a"\nname = = 3\n', "invalid TOML: ", 3, id="bad"),
        pytest.param("[[medication]]\ncode =", "invalid TOML: ", None, id="truncated"),
        pytest.param("version = 1\n", "unknown top-level key 'version'", None, id="top-level"),
        pytest.param("", "expected one or more [[medication]] tables", None, id="empty"),
        pytest.param("medication = [1]\n", "must be a table, not an integer", None, id="not-table"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, problem: str, line: int | None) -> None:
    path = tmp_path / "formulary.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormularyError) as info:
        load_formulary(path)
    assert info.value.line == line
    assert problem in str(info.value)
    assert str(info.value).startswith("formulary.toml")
    if line is not None:
        assert str(info.value).startswith(f"formulary.toml, line {line}: invalid TOML")


def test_missing_unreadable_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(FormularyError) as info:
        load_formulary(tmp_path / "formulary.toml")
    assert str(info.value) == "formulary.toml: file not found"
    assert info.value.entry is None
    with pytest.raises(FormularyError, match="cannot read the file"):
        load_formulary(tmp_path)
    binary = tmp_path / "formulary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(FormularyError, match="not UTF-8"):
        load_formulary(binary)
