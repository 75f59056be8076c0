"""catalogues/contacts.py: whether a contact is open at a moment, and the numbers a phone link dials."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from catalogues.contacts import is_open, phone_links, phone_numbers
from tests.factories import SLUGS
from tests.factories import catalogue as cat

LONDON = ZoneInfo("Europe/London")


def _at(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_hours_the_guidance_does_not_give_are_unknown_not_open():
    c = cat("knowsley")
    mash = next(x for x in c.contacts if x.id == "mash")
    assert is_open(mash, _at(2026, 11, 23, 3, 0)) is None


def test_friday_evening_uses_the_friday_hours():
    c = cat("halton")
    icart = next(x for x in c.contacts if x.id == "hal-icart")
    assert is_open(icart, _at(2026, 11, 27, 16, 15)) is True  # Friday 4.15pm
    assert is_open(icart, _at(2026, 11, 27, 16, 45)) is False  # Friday after 4.30pm


@pytest.mark.parametrize("slug", ["halton", "stoke-on-trent"])
def test_the_out_of_hours_team_is_open_overnight_after_a_bank_holiday(slug):
    c = cat(slug)
    [ooh] = [x for x in c.contacts if x.role == "out_of_hours"]
    # Monday 28 December 2026 is the Boxing Day substitute bank holiday.
    for moment in ("2026-12-29T00:30:00+00:00", "2026-12-29T07:00:00+00:00", "2026-12-28T12:00:00+00:00",
                   "2026-12-26T03:00:00+00:00", "2027-03-30T06:00:00+01:00"):  # and after Easter Monday 2027
        assert is_open(ooh, datetime.fromisoformat(moment)) is True, (slug, moment)
    front = next(x for x in c.contacts if x.role == "front_door" and x.windows)
    assert is_open(front, datetime.fromisoformat("2026-12-29T07:00:00+00:00")) is False
    assert is_open(front, datetime.fromisoformat("2026-12-29T10:00:00+00:00")) is True
    assert is_open(front, datetime.fromisoformat("2026-12-28T10:00:00+00:00")) is False


def test_phone_entries_become_one_dialable_number_per_link():
    assert phone_links("0151 934 4013/ 4481") == [("0151 934 4013", "01519344013"), ("0151 934 4481", "01519344481")]
    assert phone_numbers("(01432) 260800") == ["01432260800"]
    assert phone_numbers("999") == ["999"]
    assert phone_numbers("01782 234234 or 01782 235100") == ["01782234234", "01782235100"]
    assert phone_numbers(None) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_contact_phone_dials_whole_numbers(slug):
    for contact in cat(slug).contacts:
        for number in phone_numbers(contact.phone):
            assert re.fullmatch(r"\d{3}|0\d{9,10}", number), (contact.id, contact.phone, number)
        if contact.phone:
            assert phone_numbers(contact.phone), contact.id
