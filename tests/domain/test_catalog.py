"""The muscle catalog: the shipped file, the loader's checks, lookup and search."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.domain.catalog import (
    EMERGENCY_ZONES,
    LATERAL_VIEW_MUSCLES,
    REFERRED_PAIN_AREAS,
    BodyZone,
    Catalog,
    CatalogError,
    Depth,
    EmergencyPlace,
    Muscle,
    UnknownMuscleError,
    View,
    Wording,
    default_catalog,
    default_catalog_path,
    load_catalog,
)
from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.resource_files import resource

REFERENCE_CODES = [
    "temporalis", "masseter", "sternocleidomastoid", "scalenes", "splenius_capitis",
    "suboccipitals", "levator_scapulae", "trapezius_upper", "trapezius_middle",
    "trapezius_lower", "rhomboids", "serratus_posterior_superior", "supraspinatus",
    "infraspinatus", "deltoid", "latissimus_dorsi", "pectoralis_major", "serratus_anterior",
    "thoracic_paraspinals", "lumbar_paraspinals", "quadratus_lumborum", "gluteus_maximus",
    "gluteus_medius", "gluteus_minimus", "piriformis", "tensor_fasciae_latae", "iliopsoas",
    "hamstrings", "vastus_lateralis", "gastrocnemius", "soleus", "tibialis_anterior",
    "forearm_extensors",
]  # fmt: skip


# ---------------------------------------------------------------- the shipped catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_real_catalog_has_every_reference_muscle(catalog: Catalog) -> None:
    assert len(REFERENCE_CODES) == 33
    assert len(catalog) >= 33
    assert set(REFERENCE_CODES) <= set(catalog.codes())
    for muscle in catalog:
        for language in Language:
            assert muscle.lay_name(language), muscle.code
            assert muscle.referred_pain(language), muscle.code
            assert muscle.handout_name(language), muscle.code
        assert muscle.source, muscle.code


def test_design_card_and_seed_muscles_are_on_the_map(catalog: Catalog) -> None:
    named = {"trapezius", "levator_scapulae", "quadratus_lumborum", "gluteus_medius", "masseter",
             "sternocleidomastoid", "temporalis", "piriformis"}  # fmt: skip
    billing = {muscle.billing_muscle for muscle in catalog}
    assert named <= billing


def test_trapezius_parts_bill_as_one_muscle(catalog: Catalog) -> None:
    parts = [m for m in catalog if m.code.startswith("trapezius_")]
    assert [m.code for m in parts] == ["trapezius_upper", "trapezius_middle", "trapezius_lower"]
    assert {m.billing_muscle for m in parts} == {"trapezius"}
    others = [m for m in catalog if m not in parts]
    assert all(m.billing_muscle == m.code for m in others)


def test_safety_flags(catalog: Catalog) -> None:
    assert "sciatic nerve" in catalog.get("piriformis").nearby_structures
    assert catalog.get("trapezius_upper").pneumothorax_risk
    assert "carotid artery" in catalog.get("sternocleidomastoid").nearby_structures
    assert "vertebral artery" in catalog.get("suboccipitals").nearby_structures
    assert not catalog.get("gluteus_maximus").pneumothorax_risk
    thorax = {"scalenes", "levator_scapulae", "trapezius_upper", "trapezius_middle",
              "trapezius_lower", "rhomboids", "serratus_posterior_superior", "latissimus_dorsi",
              "pectoralis_major", "serratus_anterior", "thoracic_paraspinals"}  # fmt: skip
    assert {m.code for m in catalog if m.pneumothorax_risk} == thorax


def test_every_pneumothorax_muscle_prints_the_emergency_box(catalog: Catalog) -> None:
    for muscle in catalog:
        if muscle.pneumothorax_risk:
            assert muscle.emergency_zone, muscle.code
    assert catalog.get("trapezius_lower").body_zone is BodyZone.MID_BACK
    assert not catalog.get("gluteus_medius").emergency_zone
    expected = {"neck", "chest", "upper_abdomen", "upper_back", "mid_back"}
    assert set(EMERGENCY_ZONES) == expected


def test_views_and_layers(catalog: Catalog) -> None:
    for muscle in catalog:
        assert muscle.views, muscle.code
        if View.LATERAL in muscle.views:
            assert muscle.code in LATERAL_VIEW_MUSCLES
        if muscle.code not in {"temporalis", "masseter"}:
            assert {View.ANTERIOR, View.POSTERIOR} & set(muscle.views), muscle.code
    deep = {m.code for m in catalog if m.depth is Depth.DEEP}
    assert {"suboccipitals", "serratus_posterior_superior", "quadratus_lumborum",
            "gluteus_minimus", "piriformis", "iliopsoas"} <= deep  # fmt: skip
    lateral = [m.code for m in catalog.in_view(View.LATERAL)]
    assert set(lateral) == LATERAL_VIEW_MUSCLES
    anterior = catalog.in_view(View.ANTERIOR)
    assert {"deltoid", "serratus_anterior", "tensor_fasciae_latae", "vastus_lateralis"} <= {
        m.code for m in anterior
    }
    assert list(anterior) == [m for m in catalog if View.ANTERIOR in m.views]


def test_area_vocabulary(catalog: Catalog) -> None:
    assert len(set(REFERRED_PAIN_AREAS)) == len(REFERRED_PAIN_AREAS)
    for muscle in catalog:
        assert set(muscle.referred_pain_areas) <= set(REFERRED_PAIN_AREAS)


def test_lookup_and_protocols(catalog: Catalog) -> None:
    assert catalog.codes()[:2] == ("temporalis", "masseter")
    assert [m.code for m in catalog] == list(catalog.codes())
    assert "piriformis" in catalog
    assert "nonsense" not in catalog
    assert 42 not in catalog
    assert repr(catalog) == f"<Catalog of {len(catalog)} muscles>"
    muscle = catalog.get("trapezius_upper")
    assert muscle.name == "Trapezius (upper)"
    assert muscle.lay_name(Language.ENGLISH) == "upper back and shoulder"
    assert muscle.lay_name(Language.SPANISH) == "parte superior de la espalda y el hombro"
    assert muscle.referred_pain(Language.ENGLISH).startswith("Pain ")
    assert muscle.referred_pain(Language.SPANISH).startswith("Dolor ")
    assert muscle.lay_names.values() == (
        "upper back and shoulder", "parte superior de la espalda y el hombro",
    )  # fmt: skip
    with pytest.raises(KeyError):
        Wording(((Language.ENGLISH, "only English"),))[Language.SPANISH]
    with pytest.raises(dataclasses.FrozenInstanceError):
        muscle.name = "x"  # type: ignore[misc]


def test_unknown_code_is_a_key_error_with_a_plain_message(catalog: Catalog) -> None:
    with pytest.raises(KeyError) as info:
        catalog.get("xyz")
    assert isinstance(info.value, UnknownMuscleError)
    assert info.value.code == "xyz"
    assert str(info.value) == "unknown muscle code 'xyz'"


def test_default_catalog_is_cached_and_shipped() -> None:
    assert default_catalog() is default_catalog()
    assert default_catalog_path().is_file()
    assert default_catalog_path() == resource("anatomy", "muscles.toml")


def test_catalog_rejects_duplicate_muscles(catalog: Catalog) -> None:
    muscle = catalog.get("soleus")
    with pytest.raises(ValueError, match="duplicate muscle code 'soleus'"):
        Catalog([muscle, muscle])


# ---------------------------------------------------------------- search


def codes(muscles: list[Muscle]) -> list[str]:
    return [m.code for m in muscles]


def test_search_prefix(catalog: Catalog) -> None:
    assert codes(catalog.search("levat")) == ["levator_scapulae"]
    assert codes(catalog.search("TRAP")) == ["trapezius_upper", "trapezius_middle",
                                             "trapezius_lower"]  # fmt: skip
    assert codes(catalog.search("levator_scap")) == ["levator_scapulae"]
    assert codes(catalog.search("  Levator   Scapulae ")) == ["levator_scapulae"]


def test_search_is_accent_insensitive(catalog: Catalog) -> None:
    assert codes(catalog.search("craneo")) == ["suboccipitals"]
    assert codes(catalog.search("CRÁNEO")) == ["suboccipitals"]
    assert "rhomboids" in codes(catalog.search("omoplato"))
    assert codes(catalog.search("gluteo"))[:2] == ["gluteus_maximus", "gluteus_medius"]


def test_search_empty_returns_everything_and_nonsense_nothing(catalog: Catalog) -> None:
    assert catalog.search("") == list(catalog)
    assert catalog.search("   ") == list(catalog)
    assert catalog.search("zzzz") == []


def test_search_ranks_prefix_then_word_start_then_substring(catalog: Catalog) -> None:
    base = catalog.get("soleus")

    def make(code: str, name: str) -> Muscle:
        lay = Wording.of(dict.fromkeys(Language, "x"))
        return dataclasses.replace(base, code=code, name=name, lay_names=lay)

    small = Catalog([make("a_inner", "Scrap"), make("b_word", "Big rap"),
                     make("c_prefix", "Rapid")])  # fmt: skip
    assert codes(small.search("rap")) == ["c_prefix", "b_word", "a_inner"]


# ---------------------------------------------------------------- broken files

Entry = dict[str, object]


def valid_entry(code: str = "trapezius_upper") -> Entry:
    return {
        "code": code,
        "name": "Trapezius (upper)",
        "handout_name": {"en": "Trapezius, upper", "es": "Trapecio superior"},
        "billing_muscle": "trapezius",
        "lay_name": {
            "en": "upper back and shoulder",
            "es": "parte superior de la espalda y el hombro",
        },
        "region": "upper_back",
        "body_zone": "upper_back",
        "views": ["posterior"],
        "depth": "superficial",
        "pneumothorax_risk": True,
        "nearby_structures": ["lung apex"],
        "emergency_place": "neck_base",
        "referred_pain": {"en": "Neck and temple.", "es": "Cuello y sien."},
        "referred_pain_areas": ["neck_side", "temple"],
        "source": "test",
    }


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def write_catalog(tmp_path: Path, entries: list[Entry]) -> Path:
    chunks = []
    for entry in entries:
        lines = [f"{key} = {toml_value(value)}" for key, value in entry.items()]
        chunks.append("[[muscle]]\n" + "\n".join(lines) + "\n")
    path = tmp_path / "muscles.toml"
    path.write_text("\n".join(chunks), encoding="utf-8")
    return path


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    entry = valid_entry()
    entry["lay_name"] = {"en": "  padded  ", "es": "acolchado"}
    catalog = load_catalog(write_catalog(tmp_path, [entry, valid_entry("rhomboids")]))
    assert catalog.codes() == ("trapezius_upper", "rhomboids")
    muscle = catalog.get("trapezius_upper")
    assert muscle.lay_name(Language.ENGLISH) == "padded"
    assert muscle.views == (View.POSTERIOR,)
    assert isinstance(muscle.views, tuple)
    assert isinstance(muscle.nearby_structures, tuple)
    assert muscle.referred_pain_areas == ("neck_side", "temple")
    assert muscle.emergency_place is EmergencyPlace.NECK_BASE
    assert muscle.arm_nerve_spread is False  # optional, false when left out
    entry["arm_nerve_spread"] = True
    spread = load_catalog(write_catalog(tmp_path, [entry])).get("trapezius_upper")
    assert spread.arm_nerve_spread is True


def test_spanish_names_and_handout_names(catalog: Catalog) -> None:
    expected = {"trapezius_upper": "Trapecio superior", "rhomboids": "Romboides",
                "pectoralis_major": "Pectoral mayor", "gluteus_medius": "Glúteo medio"}  # fmt: skip
    for code, name in expected.items():
        assert catalog.get(code).handout_name(Language.SPANISH) == name
    assert catalog.get("trapezius_upper").handout_name(Language.ENGLISH) == "Trapezius, upper"
    for muscle in catalog:
        for language in Language:
            assert not set("()[]") & set(muscle.handout_name(language)), muscle.code
    assert catalog.search("pectoral mayor")[0].code == "pectoralis_major"


def test_emergency_places_and_arm_nerve_spread(catalog: Catalog) -> None:
    for muscle in catalog:
        assert (muscle.emergency_place is not None) is muscle.emergency_zone, muscle.code
    assert catalog.get("trapezius_middle").emergency_place is EmergencyPlace.UPPER_BACK
    assert catalog.get("scalenes").emergency_place is EmergencyPlace.NECK_BASE
    assert {m.code for m in catalog if m.arm_nerve_spread} == {"scalenes", "sternocleidomastoid"}


def _set(key: str, value: object) -> Callable[[Entry], None]:
    def change(entry: Entry) -> None:
        entry[key] = value

    return change


def _drop(*keys: str) -> Callable[[Entry], None]:
    def change(entry: Entry) -> None:
        for key in keys:
            del entry[key]

    return change


BROKEN_ENTRIES = [
    pytest.param(_drop("lay_name"), "trapezius_upper", "lay_name is missing", id="missing"),
    pytest.param(_set("lay_name", {"en": "back"}), "trapezius_upper", "lay_name.es is missing",
                 id="missing-language"),
    pytest.param(_set("lay_name", {"en": "back", "es": "espalda", "xx": "?"}), "trapezius_upper",
                 "lay_name has 'xx', not one of en, es", id="unknown-language"),
    pytest.param(_set("lay_name", "back"), "trapezius_upper",
                 "lay_name must be a table, not a string", id="language-table-type"),
    pytest.param(_set("lay_name", {"en": "back", "es": 3}), "trapezius_upper",
                 "lay_name.es must be a string, not an integer", id="language-text-type"),
    pytest.param(_drop("depth", "source"), "trapezius_upper", "depth, source are missing",
                 id="missing-two"),
    pytest.param(_drop("code"), "muscle #2", "code is missing", id="missing-code"),
    pytest.param(_set("code", "Trapezius"), "muscle #2", "must be lowercase snake_case",
                 id="code-not-snake"),
    pytest.param(_set("code", 7), "muscle #2", "code must be a string, not an integer",
                 id="code-wrong-type"),
    pytest.param(_set("name", 3.5), "trapezius_upper", "name must be a string, not a float",
                 id="float-name"),
    pytest.param(_set("name", "   "), "trapezius_upper", "name must not be empty", id="blank"),
    pytest.param(_set("pneumothorax_risk", "yes"), "trapezius_upper",
                 "pneumothorax_risk must be true or false, not a string", id="bool-type"),
    pytest.param(_set("views", "posterior"), "trapezius_upper",
                 "views must be an array of strings, not a string", id="list-type"),
    pytest.param(_set("views", []), "trapezius_upper", "views must list at least one item",
                 id="no-view"),
    pytest.param(_set("views", ["posterior", 1]), "trapezius_upper",
                 "views must hold only non-empty strings, found 1", id="list-item-type"),
    pytest.param(_set("views", ["posterior", "posterior"]), "trapezius_upper",
                 "views lists 'posterior' twice", id="duplicate-view"),
    pytest.param(_set("views", ["sideways"]), "trapezius_upper",
                 "views 'sideways' is not one of anterior, posterior, lateral", id="bad-view"),
    pytest.param(_set("views", ["posterior", "lateral"]), "trapezius_upper",
                 "'lateral' is the head-and-neck view", id="lateral-not-allowed"),
    pytest.param(_set("region", "torso"), "trapezius_upper", "region 'torso' is not one of",
                 id="bad-region"),
    pytest.param(_set("referred_pain_areas", ["elbow_top"]), "trapezius_upper",
                 "'elbow_top' is not in REFERRED_PAIN_AREAS", id="bad-area"),
    pytest.param(_set("referred_pain_areas", []), "trapezius_upper",
                 "referred_pain_areas must list at least one item", id="no-area"),
    pytest.param(_set("colour", "red"), "trapezius_upper", "unknown field 'colour'",
                 id="extra-field"),
    pytest.param(_set("handout_name", {"en": "Trapezius", "es": "Trapecio (superior)"}),
                 "trapezius_upper", "handout_name.es must not contain brackets",
                 id="handout-name-brackets"),
    pytest.param(_drop("emergency_place"), "trapezius_upper",
                 "emergency_place is required for a muscle in an emergency zone",
                 id="no-emergency-place"),
    pytest.param(_set("body_zone", "shoulder"), "trapezius_upper",
                 "emergency_place is only for the emergency zones, not 'shoulder'",
                 id="emergency-place-outside-zone"),
    pytest.param(_set("emergency_place", "belly"), "trapezius_upper",
                 "emergency_place 'belly' is not one of", id="bad-emergency-place"),
    pytest.param(_set("arm_nerve_spread", "yes"), "trapezius_upper",
                 "arm_nerve_spread must be true or false", id="arm-spread-type"),
    pytest.param(_set("billing_muscle", "Trapezius Muscle"), "trapezius_upper",
                 "billing_muscle 'Trapezius Muscle' must be lowercase snake_case",
                 id="billing-not-snake"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "entry", "problem"), BROKEN_ENTRIES)
def test_broken_entry_is_named(
    tmp_path: Path, change: Callable[[Entry], None], entry: str, problem: str
) -> None:
    broken = valid_entry()
    change(broken)
    path = write_catalog(tmp_path, [valid_entry("rhomboids"), broken])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    error = info.value
    assert isinstance(error, ClinicError)
    assert error.path == path
    assert error.entry == entry
    assert problem in str(error)
    assert str(error).startswith(f"muscles.toml, entry {entry!r}: ")


def test_error_message_format(tmp_path: Path) -> None:
    broken = valid_entry()
    broken["lay_name"] = {"en": "upper back and shoulder"}
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(tmp_path, [broken]))
    assert str(info.value) == "muscles.toml, entry 'trapezius_upper': lay_name.es is missing"
    assert (info.value.entry, info.value.field, info.value.problem) == (
        "trapezius_upper", "lay_name.es", "is missing",
    )  # fmt: skip


def test_lateral_view_allowed_for_neck_muscles(tmp_path: Path) -> None:
    entry = valid_entry("levator_scapulae")
    entry["views"] = ["posterior", "lateral"]
    muscle = load_catalog(write_catalog(tmp_path, [entry])).get("levator_scapulae")
    assert muscle.views == (View.POSTERIOR, View.LATERAL)


def test_duplicate_code(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [valid_entry(), valid_entry("rhomboids"), valid_entry()])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.entry == "trapezius_upper"
    assert str(info.value) == (
        "muscles.toml, entry 'trapezius_upper': duplicate code (muscle #1 has it too)"
    )


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        pytest.param('[[muscle]]\ncode = "a"\nname = = 3\n', "invalid TOML: ", 3, id="bad-value"),
        pytest.param("[[muscle]]\ncode =", "invalid TOML: ", None, id="truncated"),
        pytest.param("title = 'x'\n", "unknown top-level key 'title'", None, id="top-level"),
        pytest.param("", "expected one or more [[muscle]] tables", None, id="empty"),
        pytest.param("muscle = 3\n", "expected one or more [[muscle]] tables", None, id="scalar"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, problem: str, line: int | None) -> None:
    path = tmp_path / "muscles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.entry is None
    assert info.value.line == line
    assert problem in info.value.problem
    assert str(info.value).startswith("muscles.toml")
    if line is not None:
        assert str(info.value).startswith(f"muscles.toml, line {line}: invalid TOML")
        assert "(at line" not in str(info.value)


def test_entry_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "muscles.toml"
    path.write_text("muscle = [1]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"entry 'muscle #1': must be a table, not an integer"):
        load_catalog(path)


def test_date_value_is_named_as_such(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [valid_entry()])
    path.write_text(
        path.read_text(encoding="utf-8").replace('source = "test"', "source = 2024-01-01")
    )
    with pytest.raises(CatalogError, match="source must be a string, not a date/time"):
        load_catalog(path)


def test_missing_unreadable_and_binary_files(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "muscles.toml"
    with pytest.raises(CatalogError) as info:
        load_catalog(missing)
    assert str(info.value) == "muscles.toml: file not found"
    assert info.value.path == missing
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(tmp_path)
    binary = tmp_path / "muscles.toml"
    binary.write_bytes(b"\xff\xfe[[muscle]]")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(binary)
