"""The Sefton teacher's case, end to end, counting what the person does (issue 16's measure).

A Year 4 teacher: a 9-year-old who arrives hungry and unwashed, 20% absence, mum "sleeps all day", a
3-year-old sibling. From the sign-in page to a referral submitted to the safeguarding lead, on a desktop
and on a 375 px phone. Counted: interactions (clicks, fields typed into, boxes ticked, choices made) and
characters typed. Targets: at most 30 interactions, nothing typed twice, and the suggestion (and any
danger route) in the viewport after every tick.

The teacher's own details (job title, phone) are saved once in "Your details" before the journey, as they
would be on their first day with the service; every draft after that starts with them.

`make bench` runs this module with JOURNEY_COUNTS_OUT set and records the counts in
docs/journey-counts.md; the test itself asserts the targets, never a time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from authorities.models import Profile
from referrals.models import Draft, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET_INTERACTIONS = 30

# What the teacher sees, and the words they type to find it (Sefton's catalogue ids).
SEEN = [("hungry", "sef-health-l2-02"),  # "Concern re diet/ hygiene/ clothing"
        ("unwashed", "sef-self-l3-01"),  # "Poor self-care for age, including hygiene"
        ("absence", "sef-learn-l3-01"),  # "Poor attendance. Persistently absent from school 20%"
        ("mental health", "sef-fhf-l3-02")]  # "Family functioning significantly affected by ... mental health"


@dataclass
class Counter:
    """Drives the page and counts each interaction and every character typed."""

    page: object
    interactions: int = 0
    characters: int = 0
    typed: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)

    def _count(self, what: str) -> None:
        self.interactions += 1
        self.steps.append(what)

    def click(self, locator, what: str) -> None:
        locator.click()
        self._count(f"click {what}")

    def check(self, locator, what: str) -> None:
        locator.check()
        self._count(f"tick {what}")

    def add_to(self, locator, text: str, what: str) -> None:
        """Type at the end of text already in the field (only the new characters count)."""
        locator.click()
        locator.press("Control+End")
        self.page.keyboard.type(text)
        self.characters += len(text)
        self.typed.append(text)
        self._count(f"type {what}")

    def type(self, locator, text: str, what: str) -> None:
        locator.fill(text)
        self.characters += len(text)
        self.typed.append(text)
        self._count(f"type {what}")


def _assert_in_view(page) -> None:
    expect(page.get_by_test_id("summary-level")).to_be_in_viewport()
    route = page.get_by_test_id("danger-route")
    if route.count():
        expect(route).to_be_in_viewport()


def _journey(people, page) -> Counter:
    from tests.conftest import PASSWORD

    people.school.is_school = True  # a school: its pupils' drafts start with it as the child's school
    people.school.save()
    Profile.objects.update_or_create(user=people.alice, defaults={"job_title": "Year 4 class teacher",
                                                                   "phone": "01632 960001"})
    c = Counter(page)
    page.goto("/sign-in/")
    c.type(page.locator("#id_username"), "alice", "username")
    c.type(page.locator("#id_password"), PASSWORD, "password")
    c.click(page.get_by_role("button", name="Sign in"), "sign in")
    c.click(page.get_by_role("link", name="Assess a child's level of need").last, "assess a child")

    # The partnership is the teacher's own and "a named child" is the default: name and date of birth.
    c.type(page.locator("#id_child_name"), "Ada Testchild", "child's name")
    c.type(page.locator("#id_date_of_birth_day"), "14", "day of birth")
    c.type(page.locator("#id_date_of_birth_month"), "3", "month of birth")
    c.type(page.locator("#id_date_of_birth_year"), "2017", "year of birth")
    c.click(page.get_by_role("button", name=re.compile("Start")), "start")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))

    for words, indicator in SEEN:
        c.type(page.locator("#filter"), words, f"search {words!r}")
        box = page.locator(f"#tick-{indicator}")
        expect(box).to_be_visible()
        c.check(box, indicator)
        expect(page.locator(f"#tick-{indicator}")).to_be_checked()
        _assert_in_view(page)
    expect(page.get_by_test_id("summary-level")).to_contain_text("Level 3")

    c.click(page.get_by_role("button", name=re.compile("Start a referral draft|Continue draft")), "start the draft")
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))

    # The child's name and date of birth, the school, the teacher's details and the worries (the ticked
    # concerns in the guidance's words) are already there.
    c.type(page.locator("#id_address"), "1 Fictional Row, Testtown, TT1 1TT", "the child's address")
    c.type(page.locator("#id_household-0-name"), "Mary Testchild", "mother's name")
    c.type(page.locator("#id_household-0-relationship"), "Mother", "relationship")
    c.type(page.locator("#id_household-1-name"), "Ben Testchild", "sibling's name")
    c.type(page.locator("#id_household-1-relationship"), "Brother, aged 3", "relationship")
    worries = page.locator("#id_worries")
    expect(worries).to_contain_text("Concern re diet/ hygiene/ clothing")  # the ticked concerns, in Sefton's words
    c.add_to(worries, "\nAda says her mum sleeps all day.", "what we are worried about")
    c.type(page.locator("#id_child_voice"), "Ada says she is hungry when she gets to school.", "the child's voice")
    c.check(page.locator("#id_parents_aware_0"), "parents know")
    c.check(page.locator("#id_consent_0"), "explicit consent")
    c.click(page.get_by_test_id("submit").first, "submit")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted")
    return c


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_teachers_case_to_a_submitted_referral_within_the_targets(people, page_for, width):
    page = page_for(width=width)
    c = _journey(people, page)
    draft = Draft.objects.get()
    assert draft.status == Status.SUBMITTED
    # Nothing typed twice: the address once (the household shares it), the surname only in names.
    assert all(row.get("same_address") for row in draft.household), "the household shares the address"
    assert draft.school and draft.referrer_role == "Year 4 class teacher" and draft.referrer_phone
    repeated = {t for t in c.typed if len(t) > 3 and c.typed.count(t) > 1}
    assert not repeated, f"typed twice: {repeated}"
    assert c.interactions <= TARGET_INTERACTIONS, "\n".join(c.steps)
    _record_counts(f"{width}px", {"interactions": c.interactions, "characters_typed": c.characters,
                                  "steps": c.steps})


def test_keyboard_only_without_javascript_from_sign_in_to_a_started_draft(people, page_for):
    """Key presses only (Tab, Space, Enter and the characters typed), scripts off: under 200."""
    from tests.conftest import PASSWORD

    page = page_for(javascript=False)
    keys = 0

    def press(key: str, times: int = 1) -> None:
        nonlocal keys
        for _ in range(times):
            page.keyboard.press(key)
            keys += 1

    def type_text(text: str) -> None:
        nonlocal keys
        page.keyboard.type(text)
        keys += len(text)

    def tab_to(selector: str, limit: int = 80) -> None:
        """Tab until the element is focused (each Tab counted)."""
        target = page.locator(selector)
        for _ in range(limit):
            if target.evaluate("el => el === document.activeElement"):
                return
            press("Tab")
        raise AssertionError(f"{selector} not reached in {limit} Tabs")

    page.goto("/sign-in/")
    tab_to("#id_username")
    type_text("alice")
    press("Tab")
    type_text(PASSWORD)
    press("Enter")
    page.wait_for_url("**/")
    tab_to("main a[href='/assessments/new/']")
    press("Enter")
    page.wait_for_url("**/assessments/new/")
    tab_to("#id_child_name")
    type_text("Ada Testchild")
    press("Tab")
    type_text("14")
    press("Tab")
    type_text("3")
    press("Tab")
    type_text("2017")
    press("Enter")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    for words, indicator in SEEN[:2]:
        tab_to("#filter")
        type_text(words)
        press("Enter")  # the Filter button's form: the server filters
        page.wait_for_url(re.compile(r"\?q="))
        tab_to(f"#tick-{indicator}")
        press("Space")
        tab_to("#ticks-form button[type=submit]")
        press("Enter")
        page.wait_for_load_state()
    tab_to("button:has-text('Start a referral draft'), button:has-text('Continue draft')", limit=150)
    press("Enter")
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    assert Draft.objects.count() == 1
    assert keys < 200, keys
    _record_counts("keyboard_only_no_javascript", {"key_presses_sign_in_to_draft": keys})


def _record_counts(key: str, counts: dict) -> None:
    out = os.environ.get("JOURNEY_COUNTS_OUT")
    if out:  # make bench records the counts
        recorded = json.loads(open(out).read()) if os.path.exists(out) else {}
        recorded[key] = counts
        with open(out, "w") as fh:
            json.dump(recorded, fh, indent=2)
