"""What the assessment page shows: the tick list (its filter, unborn items, the Disability Needs Matrix,
each level's heading), the suggestion panel with its child-protection banner, and the catalogue version the
assessment was made with; and how many queries it takes."""

from __future__ import annotations

import html as html_escaping
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments import services as threshold_services
from assessments.models import Assessment
from authorities.models import Authority
from catalogues import services
from catalogues.contacts import phone_numbers
from catalogues.models import CatalogueVersion
from catalogues.schema import Catalogue
from tests.assessments.test_views import start
from tests.factories import actor, assessment, plain
from tests.factories import catalogue as catalogue_file
from tests.pages import html, submitted, text_of

pytestmark = pytest.mark.django_db


def _authority(slug):
    return Authority.objects.get(slug=slug)


# --- the tick list -------------------------------------------------------------------------------

def test_filter_narrows_the_list_and_keeps_hidden_ticks(people, login):
    """Under a filter, the ticks it hides go back as hidden inputs and only those: a ticked box the filter
    shows is a checkbox, so that unticking it unticks it (the untick-under-filter bug)."""
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    c = a.catalogue_version.catalogue
    matching = [i.id for i in c.indicators if "gp" in i.text.lower() and not i.retired and i.applies_to != "unborn"]
    shown_tick = next(t for t in plain(c, 2) + plain(c, 3) if t in matching)
    hidden_tick = next(t for t in plain(c, 2) if t not in matching)
    client.post(url, {"tick": [shown_tick, hidden_tick]})
    form = html(client.get(url, {"q": "GP"}).content.decode()).find("form", id="ticks-form")
    boxes = [b.attrs["value"] for b in form.find_all("input", type="checkbox") if b.attrs.get("name") == "tick"]
    assert sorted(boxes) == sorted(matching) and len(boxes) < len(c.indicators)
    assert "checked" in form.find(id=f"tick-{shown_tick}").attrs
    kept = [k.attrs["value"] for k in form.find_all("input", type="hidden") if "data-kept" in k.attrs]
    assert kept == [hidden_tick]


def test_unticking_a_shown_box_under_a_filter_unticks_it_and_keeps_the_ticks_the_filter_hides(people, login):
    a = assessment(people.alice, people.halton, level=2, n=0)
    cat = a.catalogue_version.catalogue
    shown_one, hidden_one = plain(cat, 2, 1)[0], plain(cat, 3, 1)[0]
    query = next(i.text for i in cat.indicators if i.id == shown_one).lower()
    assert query not in next(i.text for i in cat.indicators if i.id == hidden_one).lower()
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    client.post(url, {"tick": [shown_one, hidden_one]})
    assert Assessment.objects.get(pk=a.pk).ticks == [shown_one, hidden_one]

    form = html(client.get(url, {"q": query}).content.decode()).find("form", id="ticks-form")
    box = form.find(id=f"tick-{shown_one}")
    assert box.attrs["type"] == "checkbox" and "checked" in box.attrs
    assert not form.find_all(id=f"tick-{hidden_one}"), "the filter hides it"
    del box.attrs["checked"]  # the practitioner unticks the box they can see
    data: dict[str, list[str]] = {}
    for name, value in submitted(form):
        data.setdefault(name, []).append(value)
    assert client.post(url, data).status_code == 302
    assert Assessment.objects.get(pk=a.pk).ticks == [hidden_one]


def test_reopened_assessment_keeps_its_catalogue_version(people, login):
    client = login(people.alice)
    url = start(client, people.halton)["Location"]
    a = Assessment.objects.get()
    tick = plain(a.catalogue_version.catalogue, 2, 1)[0]
    client.post(url, {"tick": [tick]})
    old_version = a.catalogue_version
    cat = old_version.catalogue
    content = cat.model_dump(mode="json")
    for ind in content["indicators"]:
        if ind["id"] == tick:
            old_text, ind["text"] = ind["text"], "Revised wording for the test"
    services.publish_catalogue(Catalogue.model_validate_json(json.dumps(content)), source="test")
    assert CatalogueVersion.objects.current_for(people.halton).number == old_version.number + 1
    page = client.get(url).content.decode()
    assert old_text.replace("'", "&#x27;") in page and "Revised wording for the test" not in page
    assert f"catalogue version {old_version.number}" in page
    start(client, people.halton)
    newer = Assessment.objects.order_by("-pk").first()
    assert "Revised wording for the test" in client.get(reverse("assessment-detail", args=[newer.pk])).content.decode()


def test_unborn_child_sees_pre_birth_items_and_born_child_does_not(people, login):
    client = login(people.alice)
    start(client, people.sefton, date_of_birth="", due_date="")  # invalid: no date
    assert not Assessment.objects.exists()
    due = (date.today() + timedelta(days=60)).strftime("%d/%m/%Y")
    unborn_url = start(client, people.sefton, date_of_birth="", due_date=due)["Location"]
    born_url = start(client, people.sefton)["Location"]
    a = Assessment.objects.get(due_date__isnull=False)
    cat = a.catalogue_version.catalogue
    unborn_item = next(i for i in cat.indicators if i.applies_to == "unborn")
    risk_list = next(x for x in cat.lists if x.kind == "unborn_risk_factors")
    unborn_page = client.get(unborn_url).content.decode()
    born_page = client.get(born_url).content.decode()
    assert f'value="{unborn_item.id}"' in unborn_page and f'value="{unborn_item.id}"' not in born_page
    assert risk_list.title in unborn_page and risk_list.title not in born_page


def test_knowsley_disability_needs_matrix_gives_the_overall_band(people, login):
    client = login(people.alice)
    url = start(client, _authority("knowsley"))["Location"]
    a = Assessment.objects.get()
    matrix = a.catalogue_version.catalogue.disability_matrix
    areas = matrix.areas
    response = client.post(url, {f"rating-{areas[0].id}": "low", f"rating-{areas[1].id}": "moderate"},
                           HTTP_HX_REQUEST="true")
    body = response.content.decode()
    moderate = next(b for b in matrix.bands if b.band == "moderate")
    assert "Disability Needs Matrix: Moderate level of need" in body
    for line in moderate.allocation_of_resources.splitlines():  # each line of the matrix its own paragraph
        assert f'<p class="govuk-body-s">{html_escaping.escape(line.strip())}</p>' in body
    a.refresh_from_db()
    assert a.disability_ratings == {areas[0].id: "low", areas[1].id: "moderate"}


def test_stoke_disability_descriptors_are_ticked_like_any_indicator(people, login):
    client = login(people.alice)
    url = start(client, _authority("stoke-on-trent"))["Location"]
    a = Assessment.objects.get()
    cat = a.catalogue_version.catalogue
    descriptor = next(i for i in cat.indicators if i.domain == "disability" and i.level == 3)
    page = client.get(url).content.decode()
    assert f'value="{descriptor.id}"' in page, "the descriptor is a checkbox on the page"
    body = client.post(url, {"tick": [descriptor.id]}, HTTP_HX_REQUEST="true").content.decode()
    assert text_of(body, "suggested-level") == cat.levels[2].label
    assert text_of(body, "reasons") == f"{descriptor.text} (Level 3)"


def test_page_and_fragment_queries_do_not_grow_with_the_catalogue(people, login, django_assert_max_num_queries):
    client = login(people.alice)
    for slug in ["stoke-on-trent", "sefton"]:  # the smallest and the largest catalogue
        url = start(client, _authority(slug))["Location"]
        a = Assessment.objects.order_by("-pk").first()
        ticks = plain(a.catalogue_version.catalogue, 3, 3)
        with django_assert_max_num_queries(10):
            client.get(url)
        with django_assert_max_num_queries(10):
            client.post(url, {"tick": ticks}, HTTP_HX_REQUEST="true")


def test_the_level_label_heads_each_group_of_indicators_and_names_the_level_choices(people, login):
    a = assessment(people.alice, people.halton, level=2, n=1)
    page = html(login(people.alice).get(reverse("assessment-detail", args=[a.pk])).content.decode())
    headings = {h.all_text() for h in page.find("div", id="indicators").find_all("h3")}
    assert "Level 2 – Some Complex/Unmet Needs and Low Risk" in headings
    options = [o.all_text() for o in page.find("select", name="level").find_all("option")]
    assert options == ["Choose a level"] + [lv.label for lv in a.catalogue_version.catalogue.levels]


def test_a_child_protection_tick_shows_refer_now_with_the_front_door_out_of_hours_and_999(people, client):
    c = catalogue_file("halton")
    [abuse] = [i for i in c.indicators if "suffering or at risk of suffering physical, emotional or sexual abuse"
               in i.text.lower()]
    client.force_login(people.outsider)  # a Halton practitioner
    a = threshold_services.start_assessment(actor(people.outsider), Authority.objects.get(slug="halton"),
                                            mode="consultation")
    threshold_services.save_ticks(actor(people.outsider), a, [abuse.id])
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
    c = catalogue_file("herefordshire")
    [appendix] = [x for x in c.lists if x.id == "her-appendix2-guidance"]
    client.force_login(people.alice)
    a = threshold_services.start_assessment(actor(people.alice), Authority.objects.get(slug="herefordshire"),
                                            mode="consultation")
    page = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    for item in appendix.items:
        if item.url:
            assert f'href="{html_escaping.escape(item.url)}"' in page


def test_guidance_bullets_show_as_lists_not_run_together(people, login):
    """Halton's Level 4 response is a sentence and four "•" lines: each line its own list item."""
    a = assessment(people.alice, people.halton, level=4, n=1)
    page = html(login(people.alice).get(reverse("assessment-detail", args=[a.pk])).content.decode())
    response = page.find("div", data_testid="response-text")
    items = [li.all_text() for li in response.find_all("li")]
    assert len(items) >= 4 and items[0].startswith("Section 47 Investigation")
    assert not any("•" in item for item in items)
    assert response.find("p").all_text() == "Child Protection and Safeguarding Response through Children's Social Care."
