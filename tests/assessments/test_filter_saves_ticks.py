"""The Filter button belongs to the ticks form (issue 16): without JavaScript a new search posts the ticks
with the words, and the view saves them before showing the new search, so a tick is never lost with the
page. The browser side (Enter in the box, focus) is in tests/browser/test_no_javascript.py."""

from __future__ import annotations

import pytest

from assessments.models import Assessment
from authorities.models import AuditEvent
from tests.assessments.test_views import start
from tests.factories import plain
from tests.pages import html

pytestmark = pytest.mark.django_db


def _ticks_posted(client, url, ticks, **extra):
    a = Assessment.objects.get()
    return client.post(url, {"tick": ticks, "revision": a.revision, **extra})


def test_a_new_search_saves_the_ticks_then_shows_the_new_words_at_the_search_box(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    ticks = plain(cat, 2, 1)
    response = _ticks_posted(client, url + "?q=hungry", ticks, q="  absence ", filter="1")
    assert response.status_code == 302 and response["Location"] == url + "?q=absence#filter"
    assert Assessment.objects.get().ticks == ticks


def test_the_page_puts_the_search_box_and_filter_button_in_the_ticks_form_filter_first(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    body = client.get(url + "?q=hungry").content.decode()
    page = html(body)
    box = page.find("input", id="filter")
    assert box.attrs["form"] == "ticks-form" and box.attrs["name"] == "q" and box.attrs["value"] == "hungry"
    button = page.find("button", id="filter-button")
    assert button.attrs["form"] == "ticks-form" and button.attrs["name"] == "filter"
    # Not inside the ticks form's markup: typing in the box must not fire the form's htmx "change" autosave.
    assert not page.find("form", id="ticks-form").find_all("input", id="filter")
    # Before the form, so before Save: Filter is the form's default button, and Enter in the box filters.
    assert body.index('id="filter-button"') < body.index('id="ticks-form"') < body.index('id="save-ticks"')


def test_clearing_the_words_shows_everything(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    response = _ticks_posted(client, url + "?q=hungry", [], q="", filter="1")
    assert response["Location"] == url + "#filter"


def test_a_search_with_nothing_to_save_saves_nothing_and_records_no_change(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    ticks = plain(cat, 2, 1)
    _ticks_posted(client, url, ticks)
    revision = Assessment.objects.get().revision
    changes = AuditEvent.objects.filter(action="assessment.tick").count()
    # Posted at an older revision (an autosave from the same page moved it on): the same ticks are no conflict.
    response = client.post(url, {"tick": ticks, "revision": revision - 1, "q": "absence", "filter": "1"})
    assert response["Location"] == url + "?q=absence#filter"
    assert Assessment.objects.get().revision == revision
    assert AuditEvent.objects.filter(action="assessment.tick").count() == changes


def test_a_changed_tick_from_an_out_of_date_page_is_still_refused_on_a_search(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    _ticks_posted(client, url, plain(cat, 2, 1))
    stale = Assessment.objects.get().revision - 1
    response = client.post(url, {"tick": plain(cat, 3, 1), "revision": stale, "q": "absence", "filter": "1"})
    assert response.status_code == 409
    assert Assessment.objects.get().ticks == plain(cat, 2, 1)


def test_enter_on_a_box_submits_through_filter_with_the_same_words_and_is_a_save(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    response = _ticks_posted(client, url + "?q=hungry", plain(cat, 2, 1), q="hungry", filter="1")
    assert response["Location"] == url + "?q=hungry#save-ticks"
    assert Assessment.objects.get().ticks == plain(cat, 2, 1)


def test_a_locked_assessment_can_still_be_searched(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    _ticks_posted(client, url, plain(cat, 2, 1))
    Assessment.objects.update(locked=True)
    response = _ticks_posted(client, url, [], q="absence", filter="1")
    assert response.status_code == 302 and response["Location"] == url + "?q=absence#filter"
    assert Assessment.objects.get().ticks == plain(cat, 2, 1)


def test_an_autosave_is_never_taken_for_a_search(people, login):
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    # htmx sends the box's words with every autosave (the box belongs to the form), never the button.
    response = client.post(url, {"tick": plain(cat, 2, 1), "q": "absence"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Suggested level" in response.content.decode()


def test_show_them_all_saves_the_ticks_and_clears_the_words(people, login):
    """"Show them all" is a button of the ticks form, not a link: a tick made under the filter and not yet
    saved (no JavaScript) is saved on the way to the whole list."""
    client = login(people.alice)
    url = start(client, people.sefton)["Location"]
    cat = Assessment.objects.get().catalogue_version.catalogue
    page = html(client.get(url + "?q=hungry").content.decode())
    show_all = page.find("button", data_testid="show-all")
    assert (show_all.attrs["form"], show_all.attrs["name"], show_all.attrs["value"]) == ("ticks-form", "filter", "all")
    ticks = plain(cat, 2, 1)
    response = _ticks_posted(client, url + "?q=hungry", ticks, q="hungry", filter="all")
    assert response.status_code == 302 and response["Location"] == url + "#filter"
    assert Assessment.objects.get().ticks == ticks
