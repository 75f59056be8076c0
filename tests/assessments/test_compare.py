"""Comparing an assessment with another partnership's guidance (assessments views and services): only the
owner reaches it, it is audited, the home assessment never changes, the comparison is saved and shown on
the assessment page, and a cross-border assessment can be started from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Comparison
from authorities.models import AuditEvent, Authority
from catalogues.models import CatalogueVersion
from core.errors import NotAllowed
from tests.conftest import SIGN_IN
from tests.factories import actor, assessment, plain
from tests.pages import html as parse

pytestmark = pytest.mark.django_db

OTHERS_404 = {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 404,
              "anonymous": SIGN_IN}


def knowsley():
    version = CatalogueVersion.objects.current_for_slug("knowsley")
    assert version is not None
    return version


def frozen(a: Assessment) -> tuple:
    a = Assessment.objects.get(pk=a.pk)
    return (a.ticks, a.suggested_level, a.chosen_level, a.revision, a.updated_at, a.catalogue_version_id, a.locked)


def compared(people, level_there=3):
    """Alice's Sefton assessment (Level 2) compared with Knowsley, two Knowsley indicators confirmed."""
    a = assessment(people.alice, people.sefton, level=2, n=2)
    confirmed = plain(knowsley().catalogue, level_there, 2)
    return a, services.save_comparison(actor(people.alice), a, knowsley(), confirmed)


# --- the standard cases ------------------------------------------------------------------------

def test_standard_cases_of_the_comparison_pages(people, access):
    a = assessment(people.alice, people.sefton)
    choose = reverse("assessment-compare", args=[a.pk])
    match = reverse("assessment-compare-match", args=[a.pk, "knowsley"])
    assert access("get", choose) == OTHERS_404 | {"owner": 200}
    assert access("get", match) == OTHERS_404 | {"owner": 200}
    assert access("post", match, {"action": "compare", "match": plain(knowsley().catalogue, 3, 1)}) \
        == OTHERS_404 | {"owner": 302}
    assert Comparison.objects.count() == 1, "only the owner's post saved a comparison"
    comparison = Comparison.objects.get()
    result = reverse("assessment-comparison", args=[a.pk, comparison.pk])
    start = reverse("assessment-comparison-start", args=[a.pk, comparison.pk])
    assert access("get", result) == OTHERS_404 | {"owner": 200}
    assert access("post", start, {}, who=[*OTHERS_404]) == OTHERS_404
    assert Assessment.objects.count() == 1, "nobody else started an assessment from it"
    assert access("get", start, who=["owner"]) == {"owner": 405}
    assert access("delete", match, who=["owner"]) == {"owner": 405}


def test_a_comparison_is_reached_only_through_its_own_assessment(people, login):
    a, comparison = compared(people)
    mine_too = assessment(people.alice, people.sefton)
    client = login(people.alice)
    assert client.get(reverse("assessment-comparison", args=[mine_too.pk, comparison.pk])).status_code == 404
    assert client.get(reverse("assessment-comparison", args=[a.pk, comparison.pk])).status_code == 200


def test_the_service_refuses_someone_who_cannot_reach_the_assessment(people):
    a = assessment(people.alice, people.sefton)
    with pytest.raises(NotAllowed):
        services.save_comparison(actor(people.bob), a, knowsley(), [])
    with pytest.raises(NotAllowed):  # not with the assessment's own partnership
        services.save_comparison(actor(people.alice), a, a.catalogue_version, [])
    assert not Comparison.objects.exists()


# --- choosing the partnership ------------------------------------------------------------------

def test_every_other_partnership_with_published_guidance_is_offered(people, login, newcomer):
    a = assessment(people.alice, people.sefton)
    page = html(login(people.alice).get(reverse("assessment-compare", args=[a.pk])))
    offered = [r.attrs["value"] for r in page.find_all("input", type="radio")]
    expected = sorted(Authority.objects.filter(catalogue_versions__status="published").exclude(slug="sefton")
                      .distinct().values_list("slug", flat=True))
    assert sorted(offered) == expected
    assert "sefton" not in offered and "newcomer" not in offered and len(offered) == 4


def test_choosing_goes_to_the_matches_and_no_choice_is_an_error(people, login):
    a = assessment(people.alice, people.sefton)
    client = login(people.alice)
    url = reverse("assessment-compare", args=[a.pk])
    response = client.get(url, {"partnership": "knowsley"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-compare-match", args=[a.pk, "knowsley"])
    refused = client.get(url, {"partnership": "sefton"})
    assert refused.status_code == 400
    assert "Select one of the partnerships listed" in html(refused).all_text()
    for slug in ("sefton", "nowhere"):
        assert client.get(reverse("assessment-compare-match", args=[a.pk, slug])).status_code == 404


# --- the matches ---------------------------------------------------------------------------------

def test_the_match_page_shows_each_tick_with_its_proposals_pre_ticked_and_why(people, login):
    a = assessment(people.alice, people.sefton, level=2, n=6)
    proposals = services.proposals_for(a, knowsley())
    page = html(login(people.alice).get(reverse("assessment-compare-match", args=[a.pk, "knowsley"])))
    boxes = page.find_all("input", type="checkbox")
    ticked = {b.attrs["value"] for b in boxes if "checked" in b.attrs}
    assert ticked == {p.best.indicator.id for p in proposals if p.best}
    offered = {b.attrs["value"] for b in boxes}
    assert offered == {c.indicator.id for p in proposals for c in p.candidates}
    assert len(page.find_all(data_testid="proposal")) == len(a.ticks)
    said = page.all_text()
    for p in proposals:
        assert p.home.text in said
        for c in p.candidates:
            assert f"Matched: {c.why}" in said
        if not p.candidates:
            assert "Knowsley's guidance has no indicator for this." in said


def test_find_adds_indicators_through_the_search_and_keeps_the_boxes_as_they_were(people, login):
    a = assessment(people.alice, people.sefton, level=2, n=2)
    client = login(people.alice)
    url = reverse("assessment-compare-match", args=[a.pk, "knowsley"])
    kept = plain(knowsley().catalogue, 4, 1)
    page = html(client.post(url, {"action": "find", "q": "hungry", "match": kept}))
    found = page.find(data_testid="found")
    assert found.find_all("input", type="checkbox"), "the search found Knowsley indicators to add"
    checked = {b.attrs["value"] for b in page.find_all("input", type="checkbox") if "checked" in b.attrs}
    assert checked == set(kept), "nothing ticked or unticked by searching"
    assert not Comparison.objects.exists(), "finding saves nothing"


# --- saving, and the home assessment untouched ------------------------------------------------

def test_compare_saves_the_comparison_audits_it_and_leaves_the_assessment_as_it_was(people, login):
    a = assessment(people.alice, people.sefton, level=2, n=2)
    before = frozen(a)
    confirmed = plain(knowsley().catalogue, 3, 2)
    response = login(people.alice).post(reverse("assessment-compare-match", args=[a.pk, "knowsley"]),
                                        {"action": "compare", "match": confirmed + ["not-an-id"]})
    comparison = Comparison.objects.get()
    assert response["Location"] == reverse("assessment-comparison", args=[a.pk, comparison.pk])
    assert comparison.assessment_id == a.pk and comparison.other_version == knowsley()
    assert comparison.confirmed == confirmed
    assert comparison.other_level == 3 and comparison.home_level == 2
    assert comparison.home_ticks == a.ticks and comparison.made_by == people.alice
    assert [p["home"] for p in comparison.proposed] == a.ticks
    assert frozen(a) == before
    event = AuditEvent.objects.get(action="assessment.compare")
    assert event.actor == people.alice and event.object_id == str(a.pk)
    assert event.detail | {} == {"comparison": comparison.pk, "with": "knowsley", "version": knowsley().number,
                                 "confirmed": 2, "home_level": 2, "other_level": 3}


def test_the_result_shows_both_suggestions_with_route_consent_and_contacts(people, login):
    a, comparison = compared(people, level_there=3)
    response = login(people.alice).get(reverse("assessment-comparison", args=[a.pk, comparison.pk]))
    page = html(response)
    home, other = a.catalogue_version.catalogue, knowsley().catalogue
    left, right = page.find(data_testid="side-1"), page.find(data_testid="side-2")
    assert home.levels[1].label in left.find(data_testid="level").all_text()
    assert other.levels[2].label in right.find(data_testid="level").all_text()
    right_text = right.all_text()
    assert other.levels[2].response.source in right_text and other.levels[2].consent.source in right_text
    assert any(e.attrs.get("href", "").startswith("tel:") for e in right.find_all("a")) or \
        not other.levels[2].response.contact_ids
    assert page.find(data_testid="differences").all_text()
    assert AuditEvent.objects.filter(action="assessment.view", purpose="comparison", object_id=str(a.pk)).exists()


def test_the_saved_comparison_is_shown_on_the_assessment_page(people, login):
    a, comparison = compared(people, level_there=3)
    page = html(login(people.alice).get(reverse("assessment-detail", args=[a.pk])))
    listed = page.find(data_testid="comparisons")
    when = comparison.created_at.astimezone().strftime("%-d %B")
    assert f"Compared with Knowsley on {when}: Level 3 there, Level 2 here" in listed.all_text()
    assert listed.find("a").attrs["href"] == reverse("assessment-comparison", args=[a.pk, comparison.pk])


# --- a cross-border assessment ------------------------------------------------------------------

def test_start_makes_a_new_assessment_with_the_other_guidance_the_confirmed_ticks_and_the_same_child(people, login):
    a, comparison = compared(people, level_there=3)
    before = frozen(a)
    client = login(people.alice)
    response = client.post(reverse("assessment-comparison-start", args=[a.pk, comparison.pk]))
    started = Assessment.objects.exclude(pk=a.pk).get()
    assert response["Location"] == reverse("assessment-detail", args=[started.pk])
    assert started.authority.slug == "knowsley" and started.catalogue_version == knowsley()
    assert started.ticks == comparison.confirmed and started.suggested_level == 3
    assert (started.child_name, started.date_of_birth, started.mode) == (a.child_name, a.date_of_birth, a.mode)
    assert started.owner == people.alice
    assert frozen(a) == before
    assert Comparison.objects.get().started == started
    # Asked again (a second click), the same assessment comes back: no duplicate.
    client.post(reverse("assessment-comparison-start", args=[a.pk, comparison.pk]))
    assert Assessment.objects.count() == 2
    page = html(client.get(reverse("assessment-comparison", args=[a.pk, comparison.pk])))
    assert page.find(data_testid="continue-other").attrs["href"] == reverse("assessment-detail", args=[started.pk])


def test_a_locked_assessment_can_still_be_compared_and_stays_locked(people):
    a = assessment(people.alice, people.sefton)
    Assessment.objects.filter(pk=a.pk).update(locked=True)
    a.refresh_from_db()
    before = frozen(a)
    services.save_comparison(actor(people.alice), a, knowsley(), plain(knowsley().catalogue, 2, 1))
    assert frozen(a) == before


def html(response):
    return parse(response.content.decode())
