"""Handout data for the report tests: two encounters from issue 5 and a stress case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import GivenDose, HandoutData, HandoutSite, Medicine

LIDOCAINE = Medicine("lidocaine 1%", DrugClass.LOCAL_ANESTHETIC)
TRIAMCINOLONE = Medicine("triamcinolone", DrugClass.CORTICOSTEROID)
TRIAMCINOLONE_20 = GivenDose(TRIAMCINOLONE, Decimal("20"), "mg")


def site(
    number: int,
    code: str,
    side: Side = Side.RIGHT,
    technique: Technique = Technique.INJECTION,
    view: View = View.POSTERIOR,
    medicines: tuple[Medicine, ...] = (),
) -> HandoutSite:
    """A site marked at the muscle's standard point, as a click there would store it."""
    figure = default_bodymap()[FigureView.for_site(view, side)]
    region = figure.region(code, side)
    assert region is not None, (code, side, view)
    x, y = figure.normalise(*figure.standard_point(region))
    return HandoutSite(number, code, side, technique, view, x, y, medicines)


def base(language: Language = Language.ENGLISH, **changes: object) -> HandoutData:
    data = HandoutData(
        patient_given="Maria",
        patient_family="Lopez",
        birth_date=date(1961, 7, 14),
        language=language,
        clinic_name="Riverside Pain Clinic",
        clinic_phone="(555) 010-2000",
        after_hours_phone="(555) 010-2999",
        provider_name="Dr. Ana Ruiz, MD",
        visit_date=date(2025, 3, 4),
        sites=(),
        follow_up_date=date(2025, 3, 25),
        signed=True,
        clinic_address="12 River Road, Springfield, IL 62701",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def neck_steroid_diabetic(language: Language = Language.ENGLISH) -> HandoutData:
    """(a) neck and upper-back injections with a steroid, diabetic patient."""
    meds = (LIDOCAINE, TRIAMCINOLONE)
    return base(
        language,
        diabetes=True,
        doses=(TRIAMCINOLONE_20,),
        sites=(
            site(1, "trapezius_upper", Side.RIGHT, medicines=meds),
            site(2, "trapezius_upper", Side.LEFT, medicines=meds),
            site(3, "levator_scapulae", Side.RIGHT, medicines=(LIDOCAINE,)),
            site(4, "sternocleidomastoid", Side.LEFT, view=View.ANTERIOR, medicines=(LIDOCAINE,)),
        ),
    )


def low_back_dry_needling(language: Language = Language.ENGLISH) -> HandoutData:
    """(b) low-back dry needling: no medicine, no emergency box."""
    dn = Technique.DRY_NEEDLING
    return base(
        language,
        sites=(
            site(1, "quadratus_lumborum", Side.LEFT, dn),
            site(2, "lumbar_paraspinals", Side.RIGHT, dn),
            site(3, "gluteus_medius", Side.RIGHT, dn),
        ),
        follow_up_date=None,
        follow_up_weeks=2,
    )
