"""Steps the browser journeys share (a module, not collected: its name does not start with test_)."""

from __future__ import annotations

import re


def start_assessment(page, authority_name="Sefton"):
    page.goto("/assessments/new/")
    page.select_option("#id_authority", label=authority_name)
    page.check("#id_mode_1")  # a named child
    page.fill("#id_child_name", "Test Child")
    page.fill("#id_date_of_birth_day", "1")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "2018")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))


def fill_ready_draft(page):
    page.fill("#id_child_voice", "She says she is hungry at school.")
    page.fill("#id_household-0-name", "Parent Testperson")
    page.fill("#id_household-0-relationship", "Mother")
    page.fill("#id_referrer_phone", "01234 000000")
    page.check("#id_parents_aware_0")  # yes
    page.check("#id_consent_0")  # explicit consent
