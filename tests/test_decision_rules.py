"""Issue: safe, faithful decision rules. A child-protection concern is never routed to Early Help or
to "ask the family"; contacts dial and open when they should; the catalogues carry what the
documents say and nothing they do not. Pure where it can be: no database unless a page is rendered.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from functools import cache
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from pydantic import ValidationError

from assessments.presentation import sections
from authorities.actor import Actor
from catalogues.contacts import is_open, phone_links, phone_numbers
from catalogues.engine import Context, emergency_contacts, is_child_protection, suggest
from catalogues.files import read_catalogue_file
from catalogues.schema import Catalogue
from referrals.checks import NOT_SOUGHT, REFUSED, DraftFacts, pre_submission_problems, route_for
from tests import fidelity

LONDON = ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "fixtures" / "catalogues"
SLUGS = sorted(p.stem for p in DIR.glob("*.json"))


@cache
def cat(slug):
    return read_catalogue_file(DIR / f"{slug}.json")


def top(c) -> int:
    return max(lv.number for lv in c.levels)


def by_text(c, words: str):
    """The live indicators whose wording contains `words` (case-insensitive)."""
    found = [i for i in c.indicators if words.lower() in i.text.lower() and not i.retired]
    assert found, f"no indicator in {c.authority.slug} says {words!r}"
    return found


def facts(level: int, consent: str, ground: str = "", cp: bool = True, aware: str = "no") -> DraftFacts:
    return DraftFacts(chosen_level=level, suggested_level=level, level_reason="", parents_aware=aware,
                      consent=consent, consent_ground=ground, consent_agreed_by="", child_name="Test Child",
                      child_voice="Said so", household=[{"name": "Parent Testperson"}], referrer_phone="01234",
                      referrer_email="", child_protection=cp)


# --- every child-protection indicator, alone -------------------------------------------------

def protection_cases():
    return [(slug, i.id) for slug in SLUGS for i in cat(slug).indicators if is_child_protection(i) and not i.retired]


@pytest.mark.parametrize(("slug", "indicator_id"), protection_cases())
def test_a_lone_child_protection_tick_is_the_top_level_at_the_front_door_and_consent_never_blocks_it(
        slug, indicator_id):
    c = cat(slug)
    s = suggest(c, [indicator_id])
    assert s.level.number == top(c)
    assert s.route_kind == "front_door" and s.level.response.route_kind == "front_door"
    assert s.child_protection and s.reasons[0].id == indicator_id
    # The referral goes ahead whatever the family says, on a reason the guidance gives (when it gives any).
    level = s.level
    for consent in (REFUSED, NOT_SOUGHT):
        problems = [p for p in pre_submission_problems(c, facts(level.number, consent)) if p.blocking]
        assert all(p.place == "consent_ground" for p in problems), problems
        for p in problems:
            assert "ask the family" not in p.message and "will not accept" not in p.message
        if level.consent.lawful_ground_ids:
            ground = level.consent.lawful_ground_ids[0]
            assert [p for p in pre_submission_problems(c, facts(level.number, consent, ground)) if p.blocking] == []


def test_every_catalogue_has_child_protection_indicators_that_are_decisive_and_many_top_level_ones():
    for slug in SLUGS:
        c = cat(slug)
        at_top = [i for i in c.indicators if i.level == top(c) and not i.retired]
        decisive = [i for i in at_top if i.child_protection.decisive]
        assert len(decisive) >= 10, slug
        assert len(decisive) < len(at_top) or slug == "halton", "some top-level needs are child in need, not s47"


# The reviewer's reproduced cases, by the documents' own words.
REPRODUCED = {
    "knowsley": ["At risk of Child Sexual Exploitation", "sexually exploitative relationship",
                 "Sexual activity under the age of 13", "Conception to a child under the age of 14",
                 "Fabricated or Induced Illness"],
    "sefton": ["Under 13 engaged in sexual activity", "Fabricated Induced Illness", "home alone"],
    "halton": ["Suffering or at risk of suffering physical, emotional or sexual abuse"],
}


@pytest.mark.parametrize("slug", sorted(REPRODUCED))
def test_the_reproduced_child_protection_cases_are_decisive(slug):
    c = cat(slug)
    for words in REPRODUCED[slug]:
        for ind in by_text(c, words):
            if "risk of" in words.lower() and ind.level < top(c) and not is_child_protection(ind):
                continue  # Knowsley grades CSE risk at every level: low and medium risk are not s47
            s = suggest(c, [ind.id])
            assert s.level.number == top(c), (ind.id, ind.text)
            assert s.child_protection and s.route_kind == "front_door", ind.id


# Concerns every document treats as child protection, searched in each catalogue's own words.
KINDS = {
    "fgm": ["female genital mutilation", "fgm"],
    "forced marriage": ["forced marriage"],
    "fabricated illness": ["fabricat"],
    "sexual abuse": ["sexual abuse", "sexually abused"],
    "trafficking": ["traffick"],
}


@pytest.mark.parametrize("slug", SLUGS)
def test_named_child_protection_concerns_are_decisive_at_the_top_level_and_reachable(slug):
    """Every top-level mention is decisive; where a document grades a concern (early indication of
    FGM risk at Level 3, say), its lower grades keep their level but the concern itself is decisive."""
    c = cat(slug)
    for kind, words in KINDS.items():
        found = [i for i in c.indicators if not i.retired and any(w in i.text.lower() for w in words)]
        for ind in found:
            if ind.level == top(c):
                assert is_child_protection(ind), (kind, ind.id, ind.text)
        if found and kind != "sexual abuse":
            assert any(is_child_protection(i) for i in found), (slug, kind)


def test_fii_is_not_shared_with_the_family_first_in_knowsley():
    c = cat("knowsley")
    [fii] = by_text(c, "Fabricated or Induced Illness")
    s = suggest(c, [fii.id])
    assert s.level.consent.consent == "not_required" or s.level.consent.lawful_ground_ids
    assert "consent is not required for a safeguarding referral" in s.child_protection_consent.lower()


@pytest.mark.parametrize("slug", SLUGS)
def test_immediate_danger_is_child_protection_and_its_sentence_speaks_of_danger_or_risk_now(slug):
    for ind in cat(slug).indicators:
        if ind.immediate_danger:
            assert is_child_protection(ind), ind.id
            words = (ind.immediate_danger.sentence + " " + ind.text).lower()
            assert re.search(r"immediate|danger|imminent|left alone|home alone|abandon|emergency", words), ind.id


# --- cautions and prompts are shown as what they are ----------------------------------------

def test_the_documents_caution_is_quoted_and_the_products_own_numbers_are_labelled():
    page = " ".join((ROOT / "docs" / "level-engine.md").read_text(encoding="utf-8").split())
    assert "may not automatically require a referral" in page
    assert "product's own" in page
    assert "multiple factors are likely to be present" in page


# --- consent as each document words it ------------------------------------------------------

def test_herefordshire_gives_loss_of_evidence_as_a_ground_at_the_top_level():
    c = cat("herefordshire")
    texts = {g.id: g.text.lower() for g in c.consent_grounds}
    l4 = c.levels[-1].consent
    assert any("loss of evidence" in texts[g] for g in l4.lawful_ground_ids)


def test_knowsley_says_consent_is_not_required_for_a_safeguarding_referral():
    c = cat("knowsley")
    assert "consent is not required for a safeguarding referral" in c.rules.child_protection_consent.sentence


@pytest.mark.parametrize("slug", SLUGS)
def test_consent_sentences_are_the_documents(slug):
    c = cat(slug)
    assert not fidelity.unfaithful(DIR / f"{slug}.json")
    for lv in c.levels:
        for part in (lv.consent.explicit, lv.consent.refused_without_consent, lv.consent.inform_parents):
            if part is not None:
                assert part.sentence.strip()


# --- contacts that work ---------------------------------------------------------------------

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


@pytest.mark.parametrize("slug", SLUGS)
def test_the_emergency_route_names_999_the_front_door_and_the_out_of_hours_team(slug):
    c = cat(slug)
    by_id = {x.id: x for x in c.contacts}
    assert "front_door" in [by_id[i].role for i in c.emergency.contact_ids], slug
    if any(x.role == "out_of_hours" for x in c.contacts):
        assert "out_of_hours" in [by_id[i].role for i in c.emergency.contact_ids], slug
    shown = suggest(c, [next(i.id for i in c.indicators if i.immediate_danger)]).emergency_contacts
    assert shown[0].contact.phone == "999" and shown[0].open_now is True, "999 first, always"
    assert [x for x in shown if x.contact.role == "front_door"]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("slug", ["halton", "stoke-on-trent"])
def test_the_out_of_hours_team_is_open_overnight_after_a_bank_holiday(slug):
    c = cat(slug)
    [ooh] = [x for x in c.contacts if x.role == "out_of_hours"]
    # Monday 28 December 2026 is the Boxing Day substitute bank holiday.
    for moment in ("2026-12-29T00:30:00+00:00", "2026-12-29T07:00:00+00:00", "2026-12-28T12:00:00+00:00",
                   "2026-12-26T03:00:00+00:00", "2027-03-30T06:00:00+01:00"):  # and after Easter Monday 2027
        assert is_open(ooh, _at(moment)) is True, (slug, moment)
    front = next(x for x in c.contacts if x.role == "front_door" and x.windows)
    assert is_open(front, _at("2026-12-29T07:00:00+00:00")) is False
    assert is_open(front, _at("2026-12-29T10:00:00+00:00")) is True
    assert is_open(front, _at("2026-12-28T10:00:00+00:00")) is False


@pytest.mark.parametrize("slug", SLUGS)
def test_someone_is_always_reachable_in_the_emergency_route(slug):
    """At any hour of a fortnight over Christmas, some emergency contact shows open (or 999 is there)."""
    c = cat(slug)
    for day in range(20, 31):
        for hour in range(0, 24, 3):
            when = datetime(2026, 12, day, hour, 30, tzinfo=LONDON)
            states = [x.open_now for x in emergency_contacts(c, when)]
            assert True in states, (slug, when)


@pytest.mark.django_db
def test_suggest_level_at_a_moment_shows_the_emergency_duty_team_open():
    c = cat("halton")
    ids = ",".join(i.id for i in by_text(c, "Suffering or at risk of suffering physical, emotional or sexual abuse"))
    out = StringIO()
    call_command("suggest_level", "halton", ticks=ids, json=True, at="2026-12-29T07:00:00+00:00", stdout=out)
    data = json.loads(out.getvalue())
    assert data["suggested_level"] == 4 and data["child_protection"] is True
    edt = [x for x in data["emergency_contacts"] if x["role"] == "out_of_hours"]
    assert edt and edt[0]["open_now"] is True
    assert all(x["dial"] for x in data["emergency_contacts"] if x["phone"])


def _tel_links(html: str) -> list[str]:
    return re.findall(r'href="tel:([^"]*)"', html)


def test_every_tel_link_on_the_emergency_page_and_the_suggestion_panel_dials_one_number(people, client):
    from assessments import services as threshold_services
    from authorities.models import Authority

    client.force_login(people.alice)
    page = client.get(reverse("emergency")).content.decode()
    links = _tel_links(page)
    assert "01519344013" in links and "01519344481" in links
    for slug in SLUGS:
        c = cat(slug)
        danger = next(i for i in c.indicators if i.immediate_danger)
        a = threshold_services.start_assessment(Actor.of(people.alice), Authority.objects.get(slug=slug),
                                                mode="consultation")
        threshold_services.save_ticks(Actor.of(people.alice), a, [danger.id])
        panel = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
        links += _tel_links(panel)
        assert _tel_links(panel), slug
    assert links
    for link in links:
        assert re.fullmatch(r"\d{3}|0\d{9,10}", link), link


# --- routing: unborn, Stoke's disability descriptors and escalation, Herefordshire's links ----

def test_knowsley_routes_any_concern_about_an_unborn_baby_to_mash():
    c = cat("knowsley")
    assert "unborn baby, a referral should be made to MASH" in c.rules.unborn_route.sentence
    low = next(i for i in c.indicators if i.level == 2 and not is_child_protection(i))
    s = suggest(c, [low.id], Context(unborn=True))
    assert s.route_kind == "front_door" and s.contacts[0].contact.id in c.rules.unborn_route.contact_ids
    assert [f for f in s.flags if f.kind == "unborn"]
    route = route_for(c, s.level_number, unborn=True)
    assert route["kind"] == "front_door" and route["title"].startswith("Referral")
    # A born child with the same tick keeps the level's own route.
    assert suggest(c, [low.id]).route_kind == "early_help"
    unborn_examples = [ex for ex in c.worked_examples if ex.context.unborn]
    assert unborn_examples


def test_stokes_disability_descriptors_are_tickable_at_their_levels():
    c = cat("stoke-on-trent")
    assert not [x for x in c.lists if x.kind == "disability_descriptors"]
    disability = [i for i in c.indicators if i.domain == "disability" and not i.retired]
    assert {i.level for i in disability} == {1, 2, 3, 4}
    level3 = next(i for i in disability if i.level == 3)
    assert suggest(c, [level3.id]).level.number == 3
    shown = [i.id for sec in sections(c, unborn=False) if sec.id == "disability" for g in sec.groups
             for i in g.indicators]
    assert set(shown) == {i.id for i in disability}, "on the assessment page, to tick"


def test_stokes_escalation_keeps_its_stages():
    esc = cat("stoke-on-trent").escalation
    assert esc.kind == "steps" and len(esc.steps) >= 2
    text = " ".join(s.text for s in esc.steps).lower()
    assert "line manager" in text
    assert esc.url and esc.url.startswith("https://")


def test_herefordshire_appendix_2_items_carry_their_links():
    c = cat("herefordshire")
    [appendix] = [x for x in c.lists if x.id == "her-appendix2-guidance"]
    assert [i for i in appendix.items if i.url], "Appendix 2 gives links"
    for item in appendix.items:
        if item.url:
            assert item.url.startswith("https://")


def test_halton_disclosure_can_be_found_and_ticked():
    c = cat("halton")
    found = [i for sec in sections(c, unborn=False, query="disclosure") for g in sec.groups for i in g.indicators]
    assert found, "a practitioner searching 'disclosure' finds the indicator"
    assert all(is_child_protection(i) for i in found)
    assert suggest(c, [found[0].id]).level.number == 4


# --- the catalogue schema refuses unreviewed or unsafe rules --------------------------------

def _raw(slug):
    return json.loads((DIR / f"{slug}.json").read_text(encoding="utf-8"))


def test_a_top_level_indicator_without_its_review_is_refused_with_the_place():
    data = _raw("halton")
    n, ind = next((n, i) for n, i in enumerate(data["indicators"]) if i["level"] == 4)
    del ind["child_protection"]
    with pytest.raises(ValidationError) as err:
        Catalogue.model_validate(data)
    assert f"indicators[{n}](id={ind['id']}).child_protection" in str(err.value)


def test_immediate_danger_without_child_protection_is_refused():
    data = _raw("sefton")
    ind = next(i for i in data["indicators"] if i.get("immediate_danger"))
    ind["child_protection"]["decisive"] = False
    with pytest.raises(ValidationError, match="an immediate-danger indicator is a child-protection concern"):
        Catalogue.model_validate(data)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://example.org/x", "https://", "data:text/html,x"])
def test_links_must_be_https(url):
    data = _raw("stoke-on-trent")
    data["escalation"]["url"] = url
    with pytest.raises(ValidationError):
        Catalogue.model_validate(data)


# --- fidelity beyond wording ----------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_every_number_address_and_time_is_in_the_document(slug):
    assert fidelity.unfounded(DIR / f"{slug}.json") == []


@pytest.mark.parametrize("change", [
    lambda d: d["contacts"].__getitem__(0).__setitem__("phone", "0151 000 0000"),
    lambda d: d["contacts"].__getitem__(0).__setitem__("email", "invented@example.org"),
    lambda d: d["contacts"].__getitem__(0).__setitem__("windows", [{"days": [0], "start": "07:15", "end": "19:45"}]),
    lambda d: d["levels"][-1]["response"].setdefault("timescales", []).append(
        {"label": "x", "text": d["levels"][-1]["response"]["text"], "hours": 987}),
    lambda d: d["document"].__setitem__("url", "https://invented.example.org/guidance"),
])
def test_the_fidelity_check_catches_an_invented_number_address_or_time(tmp_path, change):
    data = _raw("halton")
    change(data)
    path = tmp_path / "halton.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert fidelity.unfounded(path)


def test_the_fidelity_check_catches_an_invented_hours_sentence(tmp_path):
    data = _raw("halton")
    data["contacts"][2]["hours"] = "Monday to Sunday, 7am to 11pm"
    path = tmp_path / "halton.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [p for p in fidelity.unfaithful(path) if ".hours" in p]


# --- the review table in docs/ --------------------------------------------------------------

def test_the_child_protection_review_page_is_current():
    out = StringIO()
    call_command("protection_report", stdout=out)
    page = ROOT / "docs" / "child-protection-review.md"
    assert page.read_text(encoding="utf-8") == out.getvalue(), \
        "run: python manage.py protection_report > docs/child-protection-review.md"


def test_a_child_protection_tick_shows_refer_now_with_the_front_door_out_of_hours_and_999(people, client):
    from assessments import services as threshold_services
    from authorities.models import Authority

    c = cat("halton")
    [abuse] = by_text(c, "Suffering or at risk of suffering physical, emotional or sexual abuse")
    client.force_login(people.outsider)  # a Halton practitioner
    a = threshold_services.start_assessment(Actor.of(people.outsider), Authority.objects.get(slug="halton"),
                                            mode="consultation")
    threshold_services.save_ticks(Actor.of(people.outsider), a, [abuse.id])
    page = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    banner = page.split('data-testid="child-protection"', 1)[1].split("</div>\n</div>", 1)[0]
    for contact_id in c.emergency.contact_ids:
        contact = next(x for x in c.contacts if x.id == contact_id)
        assert contact.name in banner
        for number in phone_numbers(contact.phone):
            assert f'href="tel:{number}"' in banner
    consent = page.split("<h3 class=\"govuk-heading-s\">Consent</h3>", 1)[1]
    assert consent.index('data-testid="consent-child-protection"') < consent.index('data-testid="consent"')
    assert c.rules.child_protection_consent.sentence in consent.replace("&#x27;", "'").replace("&quot;", '"')
    assert "will not be accepted" not in consent.split('data-testid="contacts"')[0]


def test_herefordshire_special_circumstances_links_are_on_the_assessment_page(people, client):
    from assessments import services as threshold_services
    from authorities.models import Authority

    c = cat("herefordshire")
    [appendix] = [x for x in c.lists if x.id == "her-appendix2-guidance"]
    client.force_login(people.alice)
    a = threshold_services.start_assessment(Actor.of(people.alice), Authority.objects.get(slug="herefordshire"),
                                            mode="consultation")
    page = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    for item in appendix.items:
        if item.url:
            assert f'href="{html.escape(item.url)}"' in page


def test_consent_never_blocks_a_child_protection_referral_even_where_a_level_requires_consent():
    """A catalogue whose top level said "consent required" (none does today) still lets a
    child-protection referral go ahead; a child-in-need referral at that level is stopped."""
    from referrals.checks import consent_problems

    c = cat("sefton")
    strict = c.levels[-1].consent.model_copy(update={"consent": "required", "lawful_ground_ids": [],
                                                     "inform_parents": None})
    level = c.levels[-1].model_copy(update={"consent": strict})
    assert [p.place for p in consent_problems(c, level, facts(level.number, NOT_SOUGHT, cp=False))] == ["consent"]
    assert consent_problems(c, level, facts(level.number, NOT_SOUGHT, cp=True)) == []


def test_choosing_a_lower_level_than_a_child_protection_suggestion_warns_without_blocking():
    c = cat("sefton")
    lower = DraftFacts(chosen_level=3, suggested_level=4, level_reason="Discussed with our DSL", parents_aware="yes",
                       consent="explicit", consent_ground="", consent_agreed_by="", child_name="Test Child",
                       child_voice="Said so", household=[{"name": "Parent Testperson"}], referrer_phone="01234",
                       referrer_email="", child_protection=True)
    [warning] = [p for p in pre_submission_problems(c, lower) if p.place == "chosen_level"]
    assert not warning.blocking and "child-protection concern" in warning.message
    assert not [p for p in pre_submission_problems(c, lower) if p.blocking]


def test_parents_not_told_needs_the_reason_the_guidance_gives_where_it_says_to_tell_them():
    from referrals.checks import consent_problems

    c = cat("herefordshire")
    level = c.levels[-1]
    assert level.consent.inform_parents is not None
    told_not = facts(level.number, "explicit", cp=False, aware="no")
    [problem] = consent_problems(c, level, told_not)
    assert problem.place == "consent_ground" and level.consent.inform_parents.sentence in problem.message
    assert consent_problems(c, level, facts(level.number, "explicit", level.consent.lawful_ground_ids[0],
                                            cp=False, aware="no")) == []


@pytest.mark.django_db
def test_suggest_level_refuses_a_moment_that_is_not_a_date_with_what_to_type():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not an ISO date and time, e.g. 2026-12-29T07:00:00"):
        call_command("suggest_level", "halton", ticks="", at="tomorrow morning", stdout=StringIO())
