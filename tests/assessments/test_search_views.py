"""The indicator search on the pages: the Filter button without JavaScript (the assessment page), the live
filter's endpoint (scoped like the page, not audited per keystroke), and the catalogue admin's draft page.
All three use catalogues/search.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from authorities.models import AuditEvent
from catalogues import services as admin_services
from tests.assessments.test_views import OTHERS_404
from tests.factories import actor, assessment
from tests.pages import html, text_of

pytestmark = pytest.mark.django_db

FOOD = "Neglect where food, warmth and other basics often not available"


def _boxes(page):
    form = html(page).find("form", id="ticks-form")
    return {b.attrs["value"]: b for b in form.find_all("input", type="checkbox") if b.attrs.get("name") == "tick"}


def _label(page, indicator_id):
    return next(lab for lab in html(page).find_all("label") if lab.attrs.get("for") == f"tick-{indicator_id}")


def test_the_filter_button_finds_practitioners_words_and_marks_them(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    cat = a.catalogue_version.catalogue
    food = next(i.id for i in cat.indicators if i.text == FOOD)
    page = login(people.alice).get(reverse("assessment-detail", args=[a.pk]), {"q": "hungry"}).content.decode()
    shown = _boxes(page)
    assert food in shown and 3 <= len(shown) <= 12
    assert "<mark>food</mark>" in page
    assert _label(page, food).find("mark").all_text() == "food"
    assert text_of(page, "filter-status").startswith(f"{len(shown)} indicators match")


def test_the_filter_button_with_words_in_any_order(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    forwards = _boxes(client.get(url, {"q": "mental health"}).content.decode())
    assert forwards and set(forwards) == set(_boxes(client.get(url, {"q": "health mental"}).content.decode()))


def test_nothing_found_says_what_to_try(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    page = login(people.alice).get(reverse("assessment-detail", args=[a.pk]), {"q": "hungy"}).content.decode()
    assert _boxes(page) == {}
    hint = html(page).find(data_testid="no-match")
    assert "No indicator matches “hungy”" in hint.all_text()
    assert "?q=hungry" in [link.attrs["href"] for link in hint.find_all("a")]


def test_the_count_says_how_many_ticks_the_filter_hides_and_that_they_stay(people, login):
    a = assessment(people.alice, people.sefton, level=2, n=2)
    page = login(people.alice).get(reverse("assessment-detail", args=[a.pk]), {"q": "hungry"}).content.decode()
    assert "2 ticked indicators are hidden by the filter and stay ticked" in text_of(page, "filter-status")


def test_the_query_is_escaped_in_the_page(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    page = login(people.alice).get(reverse("assessment-detail", args=[a.pk]), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page


# --- the live filter's endpoint --------------------------------------------------------------------

def test_the_endpoint_answers_with_ids_marked_labels_and_the_count(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    cat = a.catalogue_version.catalogue
    food = next(i.id for i in cat.indicators if i.text == FOOD)
    data = login(people.alice).get(reverse("assessment-indicator-search", args=[a.pk]), {"q": "hungry"}).json()
    assert data["labels"][food] == "Neglect where <mark>food</mark>, warmth and other basics often not available"
    assert data["count"] == len(data["labels"]) and data["said"] == f"{data['count']} indicators match"
    assert data["suggestions"] == []
    page = login(people.alice).get(reverse("assessment-detail", args=[a.pk]), {"q": "hungry"}).content.decode()
    assert set(data["labels"]) == set(_boxes(page)), "the same search as the Filter button"


def test_the_endpoint_keeps_the_danger_tag_and_escapes_the_guidance(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    danger = next(i for i in a.catalogue_version.catalogue.indicators if i.immediate_danger and not i.retired
                  and i.applies_to != "unborn")
    word = danger.text.split()[0]
    data = login(people.alice).get(reverse("assessment-indicator-search", args=[a.pk]), {"q": word}).json()
    assert "Immediate danger</strong>" in data["labels"][danger.id]


def test_the_endpoint_suggests_when_nothing_is_found(people, login):
    a = assessment(people.alice, people.sefton, n=0)
    data = login(people.alice).get(reverse("assessment-indicator-search", args=[a.pk]), {"q": "xqzzv"}).json()
    assert data["count"] == 0 and data["labels"] == {} and data["suggestions"]


def test_the_endpoint_is_scoped_like_the_page(people, access):
    """Nobody can probe an assessment they cannot see: 404, never the catalogue's text."""
    a = assessment(people.alice, people.sefton)
    url = reverse("assessment-indicator-search", args=[a.pk]) + "?q=hungry"
    assert access("get", url) == OTHERS_404 | {"owner": 200}
    assert access("post", url, {}, who=["owner"]) == {"owner": 405}


def test_a_keystroke_is_not_audited_as_a_view_of_the_case(people, login):
    """Only catalogue text goes back (no ticks, no child): the page load that showed the box was audited."""
    a = assessment(people.alice, people.sefton, level=2, n=2)
    client = login(people.alice)
    before = AuditEvent.objects.count()
    data = client.get(reverse("assessment-indicator-search", args=[a.pk]), {"q": "hungry"}).json()
    assert AuditEvent.objects.count() == before
    assert set(data) == {"query", "count", "said", "labels", "suggestions"}
    assert "Test Child" not in str(data) and not set(Assessment.objects.get(pk=a.pk).ticks) & set(data["labels"])


# --- the catalogue admin's draft page --------------------------------------------------------------

def _draft_page(client, q):
    return client.get(reverse("catalogue-draft", args=["sefton"]), {"q": q}).content.decode()


def test_the_draft_page_search_finds_practitioners_words_marked(people, login):
    admin_services.start_draft(actor(people.admin), people.sefton)
    client = login(people.admin)
    page = _draft_page(client, "hungry")
    assert "Neglect where <mark>food</mark>, warmth" in page
    rows = html(page).find("table", class_="govuk-table app-search-results").find_all("tr")
    assert 3 <= len(rows) - 1 <= 12
    assert "found for “hungry”" in text_of(page, "draft-search-count")


def test_the_draft_page_search_finds_an_exact_id(people, login):
    admin_services.start_draft(actor(people.admin), people.sefton)
    page = _draft_page(login(people.admin), "sef-care-l3-03")
    assert FOOD in page and "1 indicator found" in text_of(page, "draft-search-count")


def test_the_draft_page_search_suggests_when_nothing_is_found(people, login):
    admin_services.start_draft(actor(people.admin), people.sefton)
    page = _draft_page(login(people.admin), "hungy")
    assert "?q=hungry" in [a.attrs["href"] for a in html(page).find(data_testid="no-match").find_all("a")]


def test_the_endpoint_escapes_a_label_with_nothing_marked(people, login, monkeypatch):
    """A hit found through its keywords has nothing marked; its words still go back escaped, as HTML."""
    from assessments import presentation
    from catalogues.search import Hit, Result

    a = assessment(people.alice, people.sefton, n=0)
    odd = a.catalogue_version.catalogue.indicators[0].model_copy(update={"text": "<b>Food</b> & drink"})
    monkeypatch.setattr(presentation, "find", lambda *args, **kw: Result("food", [Hit(odd, ())], []))
    data = login(people.alice).get(reverse("assessment-indicator-search", args=[a.pk]), {"q": "food"}).json()
    assert data["labels"][odd.id] == "&lt;b&gt;Food&lt;/b&gt; &amp; drink"
