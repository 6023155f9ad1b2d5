"""Per-provider default needle and medication (issue 12 §4): set from the editor with
"Make these my defaults"; that provider's next encounters start new sites with them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side
from clinic_app.services.dto import ChartingDefaults
from clinic_app.ui.encounter.editor import EncounterEditor
from tests.factories import add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
STEROID_MIX = "lidocaine_1_1ml_triamcinolone_10mg"


def open_editor(qtbot, services, encounter_id: int) -> EncounterEditor:
    editor = EncounterEditor(services, encounter_id)
    qtbot.addWidget(editor)
    return editor


def test_make_these_my_defaults_starts_my_next_encounter_with_them(
    qtbot, services, admin, make_patient, prompts
):
    patient = make_patient()
    first = services.encounters.create(patient.id, admin.id)
    editor = open_editor(qtbot, services, first.id)
    new = editor.new_sites
    assert new.make_default_action in editor.editor_actions.new_sites_toolbar.actions()
    assert new.make_default_action.isEnabled()
    new.favourite_combo.select(STEROID_MIX)
    new.gauge_combo.setCurrentIndex(new.gauge_combo.findData(27))
    with qtbot.waitSignal(new.status_message) as said:
        new.make_default_action.trigger()
    assert said.args[0].startswith("Saved")
    assert services.preferences.charting_defaults() == ChartingDefaults(
        STEROID_MIX, 27, Decimal("1.5")
    )
    editor.close()

    second = services.encounters.create(make_patient().id, admin.id)
    again = open_editor(qtbot, services, second.id)
    site = again.new_sites.make_site("gluteus_medius", *_posterior_point())
    assert (site.site.needle_gauge, site.site.needle_length_in) == (27, Decimal("1.5"))
    assert len(site.doses) == 2  # lidocaine and the steroid
    again.close()

    # Another provider still starts with the clinic's favourites file.
    other = add_user(services, "kim", "Dr Kim", Role.PROVIDER)
    sign_in_as(services, other)
    third = services.encounters.create(make_patient().id, other.id)
    theirs = open_editor(qtbot, services, third.id)
    site = theirs.new_sites.make_site("gluteus_medius", *_posterior_point())
    assert site.site.needle_gauge == 25
    assert len(site.doses) == 1
    theirs.close()


def _posterior_point() -> tuple[Side, View, float, float]:
    return Side.RIGHT, View.POSTERIOR, 0.6, 0.5
