"""The muscle catalog behind the body map, the procedure note and the handout.

The data lives in ``resources/anatomy/muscles.toml`` (one ``[[muscle]]`` table per muscle, see the
README next to it); this module loads it, checks every entry and serves it read-only. A broken
file fails loudly at load time with :class:`CatalogError` naming the file, the entry and the
problem, so a typo never reaches a chart.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.enums import Language
from clinic_app.domain.resource_files import resource
from clinic_app.domain.validation import search_key


class View(StrEnum):
    """A drawing of the body map. ``LATERAL`` is the head-and-neck side view."""

    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    LATERAL = "lateral"


class Depth(StrEnum):
    """Body-map layer: deep muscles sit under another muscle and are picked in the deep layer."""

    SUPERFICIAL = "superficial"
    DEEP = "deep"


class Region(StrEnum):
    """Coarse anatomical region, as grouped in tpi-reference.md §2."""

    HEAD = "head"
    NECK = "neck"
    UPPER_BACK = "upper_back"
    SHOULDER = "shoulder"
    CHEST = "chest"
    BACK = "back"
    HIP = "hip"
    THIGH = "thigh"
    LEG = "leg"
    ARM = "arm"


class BodyZone(StrEnum):
    """Where on the body a patient would say the needle went (drives handout warnings)."""

    HEAD = "head"
    NECK = "neck"
    CHEST = "chest"
    UPPER_ABDOMEN = "upper_abdomen"
    UPPER_BACK = "upper_back"
    MID_BACK = "mid_back"
    LOW_BACK = "low_back"
    BUTTOCK = "buttock"
    HIP = "hip"
    THIGH = "thigh"
    LEG = "leg"
    ARM = "arm"
    SHOULDER = "shoulder"


#: Zones that put the "call 911 for chest pain or trouble breathing" box on the handout:
#: tpi-reference.md §7 (seed 002 names the neck, chest, upper belly and middle/upper back,
#: because a pneumothorax there can start hours to days after the needle).
EMERGENCY_ZONES: Final[frozenset[BodyZone]] = frozenset(
    BodyZone(zone) for zone in ("neck", "chest", "upper_abdomen", "upper_back", "mid_back")
)


class EmergencyPlace(StrEnum):
    """Where an emergency-zone site is, in the words the handout's 911 box uses.

    The printed phrase for each place is ``place.<value>`` in ``resources/handouts/<lang>.toml``
    ("at the base of your neck", "in your upper back"): tpi-reference.md §7 asks the box to say
    where the risky sites were, not "close to your chest" for a back site.
    """

    FRONT_OF_NECK = "front_of_neck"
    BACK_OF_NECK = "back_of_neck"
    NECK_BASE = "neck_base"
    UPPER_BACK = "upper_back"
    MID_BACK = "mid_back"
    SIDE_OF_BACK = "side_of_back"
    CHEST = "chest"
    SIDE_OF_CHEST = "side_of_chest"


#: The lateral view only draws the head and neck (anatomy-landmarks.md), so only these muscles
#: may appear on it.
LATERAL_VIEW_MUSCLES: Final[frozenset[str]] = frozenset((
    "temporalis", "masseter", "sternocleidomastoid",
    "scalenes", "levator_scapulae", "splenius_capitis",
))  # fmt: skip

#: Coarse places a patient feels referred pain, head to foot, for a future overlay on the body
#: figure. Sides are implied by the injected side; "inner"/"outer" follow the anatomical position.
REFERRED_PAIN_AREAS: Final[tuple[str, ...]] = (
    # head and face
    "forehead", "temple", "eyebrow", "around_eye", "behind_eye", "cheek", "upper_teeth",
    "lower_teeth", "jaw", "jaw_joint", "ear", "behind_ear", "top_of_head", "side_of_head",
    "back_of_head", "throat",
    # neck, shoulder and shoulder blade
    "neck_side", "neck_back", "shoulder_top", "shoulder_front", "shoulder_side", "shoulder_back",
    "shoulder_blade", "between_shoulder_blades", "scapula_medial_border", "scapula_lower_tip",
    # arm and hand
    "upper_arm_front", "upper_arm_outer", "upper_arm_inner", "upper_arm_back", "elbow_outer",
    "elbow_inner", "forearm_back", "forearm_front", "hand_back", "hand_thumb_side",
    "hand_little_finger_side", "fingers",
    # trunk
    "chest", "breast", "side_of_chest", "abdomen", "mid_back", "low_back", "sacroiliac", "sacrum",
    "tailbone",
    # hip and leg
    "buttock", "groin", "hip_outer", "hip_back", "thigh_front", "thigh_outer", "thigh_inner",
    "thigh_back", "knee_front", "knee_outer", "knee_back", "calf", "leg_outer", "shin",
    "ankle_front", "ankle_outer", "achilles", "heel", "foot_arch", "big_toe",
)  # fmt: skip

_AREA_SET: Final = frozenset(REFERRED_PAIN_AREAS)


@dataclass(frozen=True, slots=True)
class Wording:
    """One text in every language the app prints, e.g. a muscle's lay name.

    The catalog file gives it as a table per field (``lay_name.en``, ``lay_name.es``), so a
    new language is a new key in the data, never a new branch in the code.
    """

    texts: tuple[tuple[Language, str], ...]

    @classmethod
    def of(cls, texts: Mapping[Language, str]) -> Wording:
        return cls(tuple(texts.items()))

    def __getitem__(self, language: Language) -> str:
        for known, text in self.texts:
            if known is language:
                return text
        raise KeyError(language)

    def values(self) -> tuple[str, ...]:
        """The text in every language, in the order of the file."""
        return tuple(text for _, text in self.texts)


@dataclass(frozen=True, slots=True)
class Muscle:
    """One injectable muscle (or muscle part) on the body map; always paired left/right.

    Attributes:
        code: stable identifier stored with every site (lowercase snake_case).
        name: display name for providers and the procedure note.
        handout_names: the anatomical name a handout prints, per language (no brackets).
        billing_muscle: the anatomical muscle counted for CPT 20552/20553; parts of one muscle
            (the three trapezius parts) share it.
        lay_names: plain words for the patient handout, per language.
        body_zone: drives the handout's emergency box (see :data:`EMERGENCY_ZONES`).
        views: body-map drawings the muscle can be clicked on.
        depth: which body-map layer the muscle belongs to.
        referred_pain_texts: one plain sentence per language: where the patient feels it.
        referred_pain_areas: tags from :data:`REFERRED_PAIN_AREAS`.
        source: where the clinical facts of the entry come from.
        emergency_place: where the handout's 911 box says the site was; set exactly for the
            muscles of an emergency zone.
        arm_nerve_spread: a local anesthetic here can reach the nerves of the arm (front of
            the neck), so the handout warns of a numb or weak arm (tpi-reference.md §7).
    """

    code: str
    name: str
    handout_names: Wording
    billing_muscle: str
    lay_names: Wording
    region: Region
    body_zone: BodyZone
    views: tuple[View, ...]
    depth: Depth
    pneumothorax_risk: bool
    nearby_structures: tuple[str, ...]
    referred_pain_texts: Wording
    referred_pain_areas: tuple[str, ...]
    source: str
    emergency_place: EmergencyPlace | None = None
    arm_nerve_spread: bool = False

    @property
    def emergency_zone(self) -> bool:
        """True when a site here puts the chest-pain emergency box on the handout."""
        return self.body_zone in EMERGENCY_ZONES

    def lay_name(self, language: Language) -> str:
        """The handout's plain words for the muscle in ``language``."""
        return self.lay_names[language]

    def handout_name(self, language: Language) -> str:
        """The anatomical name as a handout in ``language`` prints it ("Trapezius, upper")."""
        return self.handout_names[language]

    def referred_pain(self, language: Language) -> str:
        """The referred-pain sentence in ``language``."""
        return self.referred_pain_texts[language]


#: The fields of a ``[[muscle]]`` table; the optional ones have dataclass defaults.
_REQUIRED: Final = (
    "code", "name", "handout_name", "billing_muscle", "lay_name", "region", "body_zone",
    "views", "depth", "pneumothorax_risk", "nearby_structures", "referred_pain",
    "referred_pain_areas", "source",
)  # fmt: skip
_OPTIONAL: Final = ("emergency_place", "arm_nerve_spread")


class CatalogError(DataFileError):
    """The catalog file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the catalog file.
        entry: the muscle code, ``"muscle #N"`` when the code is unusable, or None for the file.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


class UnknownMuscleError(KeyError):
    """A muscle code that is not in the catalog (e.g. a site saved by a newer catalog)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown muscle code {self.code!r}"


class Catalog:
    """An immutable, ordered set of muscles with lookup and search."""

    __slots__ = ("_by_code", "_keys", "_muscles")

    def __init__(self, muscles: Iterable[Muscle]) -> None:
        ordered = tuple(muscles)
        by_code: dict[str, Muscle] = {}
        for muscle in ordered:
            if muscle.code in by_code:
                raise ValueError(f"duplicate muscle code {muscle.code!r}")
            by_code[muscle.code] = muscle
        self._muscles = ordered
        self._by_code: Mapping[str, Muscle] = MappingProxyType(by_code)
        self._keys = tuple(
            tuple(
                _fold(text)
                for text in (
                    muscle.code,
                    muscle.name,
                    *muscle.handout_names.values(),
                    *muscle.lay_names.values(),
                )
            )
            for muscle in ordered
        )

    def get(self, code: str) -> Muscle:
        """The muscle with ``code``; raises :class:`UnknownMuscleError` when there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownMuscleError(code) from None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Muscle]:
        return iter(self._muscles)

    def __len__(self) -> int:
        return len(self._muscles)

    def __repr__(self) -> str:
        return f"<Catalog of {len(self._muscles)} muscles>"

    def codes(self) -> tuple[str, ...]:
        """All codes, in file order."""
        return tuple(self._by_code)

    def in_view(self, view: View) -> tuple[Muscle, ...]:
        """The muscles drawn on ``view``, in file order."""
        return tuple(muscle for muscle in self._muscles if view in muscle.views)

    def search(self, text: str) -> list[Muscle]:
        """Muscles whose code, name or lay names contain ``text``.

        Case-, accent- and underscore-insensitive. Results whose field starts with the text come
        first, then those with a word starting with it, then other matches; file order within
        each group. An empty or blank query returns every muscle (a filter box showing all).
        """
        query = _fold(text)
        if not query:
            return list(self._muscles)
        ranked: list[tuple[int, Muscle]] = []
        for muscle, keys in zip(self._muscles, self._keys, strict=True):
            rank = _match_rank(query, keys)
            if rank is not None:
                ranked.append((rank, muscle))
        ranked.sort(key=lambda item: item[0])  # stable: file order within a rank
        return [muscle for _, muscle in ranked]


def _fold(text: str) -> str:
    return search_key(text.replace("_", " "))


def _match_rank(query: str, keys: tuple[str, ...]) -> int | None:
    if any(key.startswith(query) for key in keys):
        return 0
    if any(f" {query}" in key for key in keys):
        return 1
    if any(query in key for key in keys):
        return 2
    return None


# ---------------------------------------------------------------- loading


def _read_muscle(entry: Entry) -> Muscle:
    entry.fields(_REQUIRED, _OPTIONAL)
    code = entry.snake("code")
    views = entry.choices("views", View)
    if View.LATERAL in views and code not in LATERAL_VIEW_MUSCLES:
        raise entry.error(
            "'lateral' is the head-and-neck view, allowed only for "
            + ", ".join(sorted(LATERAL_VIEW_MUSCLES)),
            "views",
        )
    areas = entry.texts("referred_pain_areas", allow_empty=False)
    for area in areas:
        if area not in _AREA_SET:
            raise entry.error(
                f"{area!r} is not in REFERRED_PAIN_AREAS (catalog.py)", "referred_pain_areas"
            )
    handout_names = entry.languages("handout_name")
    for language, name in handout_names.items():
        if any(bracket in name for bracket in "()[]"):
            raise entry.error(
                "must not contain brackets (handouts print it inside some)",
                f"handout_name.{language.value}",
            )
    body_zone = entry.choice("body_zone", BodyZone)
    place = (
        entry.choice("emergency_place", EmergencyPlace) if entry.has("emergency_place") else None
    )
    if (place is None) is (body_zone in EMERGENCY_ZONES):
        raise entry.error(
            "is required for a muscle in an emergency zone"
            if place is None
            else f"is only for the emergency zones, not {body_zone.value!r}",
            "emergency_place",
        )
    return Muscle(
        code=code,
        name=entry.text("name"),
        handout_names=Wording.of(handout_names),
        billing_muscle=entry.snake("billing_muscle"),
        lay_names=Wording.of(entry.languages("lay_name")),
        region=entry.choice("region", Region),
        body_zone=body_zone,
        views=views,
        depth=entry.choice("depth", Depth),
        pneumothorax_risk=entry.flag("pneumothorax_risk"),
        nearby_structures=entry.texts("nearby_structures"),
        referred_pain_texts=Wording.of(entry.languages("referred_pain")),
        referred_pain_areas=areas,
        source=entry.text("source"),
        emergency_place=place,
        arm_nerve_spread=entry.flag("arm_nerve_spread") if entry.has("arm_nerve_spread") else False,
    )


def default_catalog_path() -> Traversable:
    """The shipped ``anatomy/muscles.toml``."""
    return resource("anatomy", "muscles.toml")


def load_catalog(path: Traversable | None = None) -> Catalog:
    """Read and check a catalog file (the shipped one by default).

    Raises:
        CatalogError: the file is missing or unreadable, is not TOML, or an entry breaks a rule.
    """
    path = default_catalog_path() if path is None else path
    document = read_document(path, CatalogError, {"muscle"})
    muscles = [_read_muscle(entry) for entry in entries(document, "muscle", "muscle", snake=True)]
    return Catalog(muscles)


@functools.cache
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return load_catalog()
