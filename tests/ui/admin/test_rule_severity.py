"""The clinic settings' "Checks and alerts": severity within the floor, standard reasons."""

from __future__ import annotations

from clinic_app.domain.rules import default_rules
from clinic_app.ui.admin.rule_settings import DocumentationRulesBox
from clinic_app.ui.admin.rule_severity import STALE_STATUS, RuleSeverityBox


def stored(services, rule_id):
    return next(r for r in services.clinic.rule_settings().rules if r.rule_id == rule_id)


def test_every_check_is_listed_and_a_note_is_raised_to_a_warning(qtbot, services, prompts):
    box = RuleSeverityBox(services)
    qtbot.addWidget(box)
    assert box.tree.topLevelItemCount() == len(default_rules().rules)
    box.select_rule("site.pneumothorax")
    assert box.current_rule().severity == "info"
    assert not box.restore_button.isEnabled()
    prompts.answer(
        "ask_choice", lambda p: (p.options == ("Blocks signing", "Warning")) and "Warning"
    )
    prompts.answer("ask_rule_change_reason", "Clinic policy after an incident")
    with qtbot.waitSignal(box.version_changed):
        box.change_button.click()
    item = box.tree.currentItem()
    assert item.text(1) == "Warning (clinic; shipped: Note (INFO))"
    assert item.text(2) == "Clinic policy after an incident"
    assert stored(services, "site.pneumothorax").severity == "warning"
    assert box.status.text() == "Saved: “Pneumothorax risk at the site” set to warning."
    with qtbot.waitSignal(box.changed):
        box.restore_button.click()
    assert stored(services, "site.pneumothorax").severity == "info"


def test_a_dose_block_offers_no_change(qtbot, services):
    box = RuleSeverityBox(services)
    qtbot.addWidget(box)
    box.select_rule("dose.anesthetic_max")
    assert not box.change_button.isEnabled()
    box.select_rule("site.bilateral_chest_wall")
    assert box.change_button.isEnabled()  # it may be raised to a block, not lowered


def test_the_standard_reasons_are_edited_one_per_line(qtbot, services, prompts):
    box = RuleSeverityBox(services)
    qtbot.addWidget(box)
    box.select_rule("site.bilateral_chest_wall")
    shipped = default_rules().reasons["site.bilateral_chest_wall"]
    prompts.answer("ask_rule_picks", lambda p: p.default == "\n".join(shipped) and "A\n\n B \n")
    with qtbot.waitSignal(box.changed):
        box.picks_button.click()
    assert box.tree.currentItem().text(3) == "2 (clinic)"
    row = stored(services, "site.bilateral_chest_wall")
    assert (row.picks, row.custom_picks) == (("A", "B"), True)
    prompts.answer("ask_rule_picks", "")  # empty: back to the shipped reasons
    with qtbot.waitSignal(box.changed):
        box.picks_button.click()
    assert stored(services, "site.bilateral_chest_wall").picks == shipped


def test_a_refused_change_says_why(qtbot, services, prompts):
    box = RuleSeverityBox(services)
    qtbot.addWidget(box)
    box.select_rule("site.pneumothorax")
    prompts.answer("ask_choice", "Blocks signing")
    prompts.answer("ask_rule_change_reason", "   ")
    with qtbot.assertNotEmitted(box.changed):
        box.change_button.click()
    assert box.status.text().startswith("Not changed: Type why")
    assert stored(services, "site.pneumothorax").severity == "info"


def test_the_documentation_box_opens_every_check_and_follows_its_saves(qtbot, services, prompts):
    docs = DocumentationRulesBox(services)
    qtbot.addWidget(docs)
    assert docs.tree.topLevelItemCount() == 9
    docs.all_button.click()
    box = docs.all_checks.box
    box.select_rule("documentation.consent")
    prompts.answer("ask_choice", "Warning")
    prompts.answer("ask_rule_change_reason", "Consent on paper")
    with qtbot.waitSignal(docs.version_changed) as moved:
        box.change_button.click()
    assert moved.args[1] == services.clinic.rule_settings().version
    docs.select_rule("documentation.consent")
    assert docs.current_rule().lowered
    assert docs.version == moved.args[1]
    docs.all_checks.close()


def test_a_stale_change_is_refused_and_the_list_reloads(qtbot, services, prompts):
    box = RuleSeverityBox(services)
    qtbot.addWidget(box)
    version = services.clinic.rule_settings().version
    services.clinic.set_rule_reasons("site.pneumothorax", ["Elsewhere"], expected_version=version)
    box.select_rule("site.pneumothorax")
    prompts.answer("ask_rule_picks", "Mine")
    prompts.answer("show_error")
    with qtbot.assertNotEmitted(box.changed):
        box.picks_button.click()
    assert box.status.text() == STALE_STATUS
    assert box.current_rule().picks == ("Elsewhere",)
