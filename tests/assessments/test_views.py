"""The assessment pages (assessments.views): start one, tick (htmx and without JavaScript), judge the
level; only the owner reaches an assessment."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from assessments.models import Assessment
from authorities.models import AuditEvent
from tests.conftest import SIGN_IN
from tests.factories import assessment, plain
from tests.pages import html, text_of

pytestmark = pytest.mark.django_db


def start(client, authority, **over):
    data = {"authority": authority.pk, "mode": "named", "child_name": "Test Child", "date_of_birth": "01/02/2018",
            "due_date": "", "reference": ""} | over
    return client.post(reverse("assessment-new"), data)


# --- the standard cases ------------------------------------------------------------------------

OTHERS_404 = {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 404,
              "anonymous": SIGN_IN}


def test_standard_cases_of_a_new_assessment(people, access):
    url = reverse("assessment-new")
    assert access("get", url) == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 200}
    assert access("put", url, who=["owner"]) == {"owner": 405}


def test_standard_cases_of_an_assessment(people, access):
    a = assessment(people.alice, people.sefton)
    url = reverse("assessment-detail", args=[a.pk])
    assert access("get", url) == OTHERS_404 | {"owner": 200}
    assert access("post", url, {"tick": []}, who=[*OTHERS_404]) == OTHERS_404
    assert Assessment.objects.get(pk=a.pk).ticks == a.ticks, "nothing anyone else posted changed it"
    assert access("delete", url, who=["owner"]) == {"owner": 405}


def test_standard_cases_of_choosing_the_level(people, access):
    a = assessment(people.alice, people.sefton)
    url = reverse("assessment-choose-level", args=[a.pk])
    assert access("post", url, {"level": "2", "reason": ""}) == OTHERS_404 | {"owner": 302}
    assert Assessment.objects.get(pk=a.pk).chosen_level == 2
    assert access("get", url, who=["owner"]) == {"owner": 405}


def test_other_people_get_404_for_an_assessment(people, login, client):
    url = start(login(people.alice), people.sefton)["Location"]
    for other in (people.bob, people.lead, people.outsider, people.admin):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"tick": []}).status_code == 404


# --- starting one ------------------------------------------------------------------------------

def test_new_assessment_defaults_to_the_users_own_authority(people, login):
    body = login(people.alice).get(reverse("assessment-new")).content.decode()
    assert f'<option value="{people.sefton.pk}" selected>' in body


def test_named_child_needs_a_name_and_a_date(people, login):
    response = start(login(people.alice), people.sefton, child_name="", date_of_birth="")
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Enter the child&#x27;s full name" in body
    assert "Enter the date of birth, or the expected due date for an unborn child" in body
    assert not Assessment.objects.exists()


def test_consultation_holds_no_child_details(people, login):
    client = login(people.alice)
    response = start(client, people.sefton, mode="consultation")
    assert "A consultation holds no child details" in response.content.decode()
    response = start(client, people.sefton, mode="consultation", child_name="", date_of_birth="", reference="C-1")
    assert response.status_code == 302
    a = Assessment.objects.get()
    assert a.child_name == "" and a.date_of_birth is None and a.label == "Consultation C-1"


def test_a_cross_border_authority_can_be_chosen(people, login):
    start(login(people.alice), people.halton)
    a = Assessment.objects.get()
    assert a.authority == people.halton and a.catalogue_version.authority == people.halton


def test_a_date_error_is_summarised_with_a_link_to_the_day_box(people, login):
    response = login(people.alice).post(reverse("assessment-new"), {
        "authority": people.sefton.pk, "mode": "named", "child_name": "Test Child",
        "date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2018"})
    page = html(response.content.decode())
    summary = page.find("div", class_="govuk-error-summary")
    link = next(a for a in summary.find_all("a") if "Enter a real date" in a.all_text())
    assert link.attrs["href"] == "#id_date_of_birth_day"
    assert page.find(id="id_date_of_birth_day").attrs["value"] == "31"
    assert not Assessment.objects.exists()


def test_a_radio_error_is_summarised_with_a_link_to_the_first_radio(people, login):
    response = login(people.alice).post(reverse("assessment-new"), {"authority": people.sefton.pk})
    page = html(response.content.decode())
    link = next(a for a in page.find("div", class_="govuk-error-summary").find_all("a")
                if "consultation or about a named child" in a.all_text())
    assert link.attrs["href"] == "#id_mode_0"
    first = page.find(id="id_mode_0")
    assert first.attrs["type"] == "radio" and first.ancestor("fieldset").find("legend").all_text() == \
        "Who is this about?"


# --- ticking -----------------------------------------------------------------------------------


def test_a_tick_sends_the_level_to_judge_again_only_when_the_suggestion_moves(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    level2, level3 = plain(cat, 2, 2), plain(cat, 3, 1)
    moved = client.post(url, {"tick": level2[:1]}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="judgement-level" hx-swap-oob="true"' in moved
    same = client.post(url, {"tick": level2}, HTTP_HX_REQUEST="true").content.decode()
    assert "judgement-level" not in same, "still level 2: the radios the page shows stay as they are"
    up = client.post(url, {"tick": level2 + level3}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="judgement-level" hx-swap-oob="true"' in up and '<option value="3" selected>' in up

def test_ticking_through_htmx_saves_and_returns_only_the_panel(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    cat = a.catalogue_version.catalogue
    ticks = plain(cat, 3, 2)
    response = client.post(url, {"tick": ticks}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "Suggested level" in body
    assert text_of(body, "suggested-level") == cat.levels[2].label
    a.refresh_from_db()
    assert a.ticks == ticks and a.suggested_level == 3


def test_without_javascript_the_button_saves_and_the_page_shows_the_same_panel(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    cat = a.catalogue_version.catalogue
    ticks = plain(cat, 2, 1)
    response = client.post(url, {"tick": ticks})
    # Back at the Save button, not at the top of the suggestion (keyboard users keep their place).
    assert response.status_code == 302 and response["Location"] == url + "#save-ticks"
    body = client.get(url).content.decode()
    page = html(body)
    checked = [b.attrs["value"] for b in page.find("form", id="ticks-form").find_all("input", type="checkbox")
               if "checked" in b.attrs]
    assert checked == ticks
    assert text_of(body, "suggested-level") == cat.levels[1].label
    assert 'hx-post=' in body
    # Only the level (and any danger) is announced, from the summary bar; not the whole ~700-word panel.
    assert page.find(id="suggestion").attrs.get("aria-live") is None
    assert page.find(data_testid="summary-level").attrs.get("role") == "status"
    assert text_of(body, "summary-level").startswith(f"Suggested: {cat.levels[1].label}")


def test_without_javascript_saving_under_a_filter_keeps_the_filter_and_the_place(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    response = client.post(url + "?q=hungry", {"tick": plain(cat, 2, 1)})
    assert response["Location"] == url + "?q=hungry#save-ticks"
    page = html(client.get(response["Location"]).content.decode())
    assert page.find("button", id="save-ticks").all_text() == "Save ticks and update the suggestion"


def test_ids_from_another_catalogue_are_not_saved(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    client.post(url, {"tick": ["sef-health-l4-06", "<script>"]})
    assert Assessment.objects.get().ticks == []


@pytest.mark.parametrize("htmx", [False, True])
def test_the_ticks_form_refuses_an_unknown_id_or_a_bad_revision_without_saving(people, login, htmx):
    a = assessment(people.alice, people.halton, level=2, n=1)
    ticks = list(a.ticks)
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for data in ({"tick": ["sef-health-l4-06"]}, {"tick": ticks, "revision": "not a number"},
                 {"tick": ticks, "revision": "99999999999999999999"}):
        response = client.post(url, data, **extra)
        assert response.status_code == 400, data
        assert "There is a problem" in response.content.decode()
    assert "not in this assessment&#x27;s guidance" in client.post(url, {"tick": ["nope"]}).content.decode()
    assert Assessment.objects.get(pk=a.pk).ticks == ticks


def test_the_ticks_form_saves_the_matrix_ratings_from_its_selects(people, login):
    from authorities.models import Authority

    knowsley = Authority.objects.get(slug="knowsley")
    a = assessment(people.alice, knowsley, level=2, n=0)
    area = a.catalogue_version.catalogue.disability_matrix.areas[0]
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    select = html(client.get(url).content.decode()).find("select", name=f"rating-{area.id}")
    assert [o.attrs["value"] for o in select.find_all("option")] == ["", "low", "moderate", "high"]
    assert client.post(url, {f"rating-{area.id}": "high"}).status_code == 302
    assert Assessment.objects.get(pk=a.pk).disability_ratings == {area.id: "high"}
    assert client.post(url, {f"rating-{area.id}": "extreme"}).status_code == 400
    assert Assessment.objects.get(pk=a.pk).disability_ratings == {area.id: "high"}
    page = html(client.get(url).content.decode())
    chosen = [o for o in page.find("select", name=f"rating-{area.id}").find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in chosen] == ["high"]


# --- judging the level -------------------------------------------------------------------------

def test_choosing_a_different_level_needs_a_reason(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    cat = a.catalogue_version.catalogue
    client.post(url, {"tick": plain(cat, 2, 1)})
    choose = reverse("assessment-choose-level", args=[a.pk])
    response = client.post(choose, {"level": "3", "reason": ""})
    assert response.status_code == 400
    assert "Explain why you judge the level to be different" in response.content.decode()
    a.refresh_from_db()
    assert a.chosen_level is None
    client.post(choose, {"level": "3", "reason": "Escalating pattern over the term"})
    a.refresh_from_db()
    assert (a.chosen_level, a.chosen_reason) == (3, "Escalating pattern over the term")
    body = client.get(url).content.decode()
    assert text_of(body, "chosen-level") == (f"You judged this to be {cat.levels[2].label} (suggested: Level 2). "
                                            "Your reason: Escalating pattern over the term.")


def test_agreeing_with_the_suggestion_needs_no_reason(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    client.post(url, {"tick": plain(a.catalogue_version.catalogue, 2, 1)})
    response = client.post(reverse("assessment-choose-level", args=[a.pk]), {"level": "2", "reason": ""})
    assert response.status_code == 302


# --- the audit trail ---------------------------------------------------------------------------

def test_viewing_and_ticking_are_audited_without_the_childs_name(people, login):
    client = login(people.alice)
    url = start(client, people.sefton, child_name="Zebedee Unique-Name")["Location"]
    a = Assessment.objects.get()
    client.get(url)
    client.post(url, {"tick": plain(a.catalogue_version.catalogue, 2, 1)}, HTTP_HX_REQUEST="true")
    actions = list(AuditEvent.objects.filter(object_id=str(a.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["assessment.create", "assessment.view", "assessment.tick"]
    for e in AuditEvent.objects.all():
        assert "Zebedee" not in json.dumps([e.action, e.object_id, e.purpose, e.detail])
