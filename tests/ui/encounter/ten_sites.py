"""A busy encounter for the layout tests: ten sites on every figure, a mix, long names."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from clinic_app.domain import clock
from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.enums import Aspiration, Side, Technique, TwitchResponse
from clinic_app.services.container import AppServices
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput

#: (muscle, side, doses as (medication code, mL)); no doses = dry needling.
TEN_SITES = [
    ("trapezius_upper", Side.RIGHT, [("lidocaine_1", "1")]),
    ("trapezius_upper", Side.LEFT, [("lidocaine_1", "1"), ("triamcinolone_40", "0.25")]),
    ("levator_scapulae", Side.RIGHT, [("lidocaine_1", "1")]),
    ("infraspinatus", Side.LEFT, []),
    ("gluteus_medius", Side.RIGHT, [("bupivacaine_0_25", "2")]),
    ("quadratus_lumborum", Side.RIGHT, [("lidocaine_1", "1.5")]),
    ("sternocleidomastoid", Side.LEFT, [("lidocaine_1", "0.5")]),
    ("pectoralis_major", Side.RIGHT, []),
    ("masseter", Side.RIGHT, [("lidocaine_1", "0.5")]),
    ("temporalis", Side.RIGHT, [("lidocaine_1", "0.5")]),
]


def ten_site_encounter(services: AppServices, patient_id: int, provider_id: int) -> int:
    """A draft with :data:`TEN_SITES`, each at its muscle's standard point, lots recorded."""
    bodymap = default_bodymap()
    meds = {m.code: m.id for m in services.clinic.medications()}
    expires = clock.today() + timedelta(days=200)
    lots = {
        code: services.clinic.add_lot(meds[code], f"LOT-{code[:4].upper()}-2291", expires).id
        for code in ("lidocaine_1", "triamcinolone_40", "bupivacaine_0_25")
    }
    drafts = []
    for muscle, side, doses in TEN_SITES:
        view = next(v for v in FigureView if bodymap[v].region(muscle, side) is not None)
        figure = bodymap[view]
        region = figure.region(muscle, side)
        assert region is not None
        x, y = figure.normalise(*figure.standard_point(region))
        technique = Technique.INJECTION if doses else Technique.DRY_NEEDLING
        site = SiteInput(
            muscle, side, view.catalog_view, x, y,
            technique=technique, needle_gauge=25, needle_length_in=Decimal("1.5"),
            twitch_response=TwitchResponse.LOCAL,
            aspiration=Aspiration.NEGATIVE if doses else Aspiration.NOT_DONE,
            taut_band=True, jump_sign=False, referred_pain_reproduced=True,
        )  # fmt: skip
        drafts.append(SiteDraft(site, tuple(DoseInput(meds[c], v, lots[c]) for c, v in doses)))
    encounter = services.encounters.create(patient_id, provider_id)
    form = EncounterInput(indication="Myofascial pain", icd10_codes=("M79.18",), pain_before=6)
    services.encounters.save_draft(encounter.id, encounter.version, form, drafts)
    return encounter.id
