"""The emergency page (catalogues.views.emergency): every partnership's emergency route, for everyone
signed in; every phone link on it, and on the suggestion panel, dials one whole number."""

from __future__ import annotations

import re

from django.urls import reverse

from assessments import services as assessment_services
from authorities.models import Authority
from tests.conftest import SIGN_IN
from tests.factories import SLUGS, actor
from tests.factories import catalogue as cat


def test_standard_cases(people, access):
    url = reverse("emergency")
    assert access("get", url) == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 200}
    assert access("post", url, who=["owner"]) == {"owner": 405}


def test_the_users_own_partnership_comes_first(people, login):
    for user, own in ((people.outsider, people.halton), (people.alice, people.sefton)):
        page = login(user).get(reverse("emergency")).content.decode()
        headings = re.findall(r'<h2 class="govuk-heading-m">([^<]*)</h2>', page)
        assert len(headings) == len(SLUGS) and headings[0] == own.name, (user.username, headings)


def _tel_links(html: str) -> list[str]:
    return re.findall(r'href="tel:([^"]*)"', html)


def test_every_tel_link_on_the_emergency_page_and_the_suggestion_panel_dials_one_number(people, client):
    client.force_login(people.alice)
    page = client.get(reverse("emergency")).content.decode()
    links = _tel_links(page)
    assert "01519344013" in links and "01519344481" in links
    for slug in SLUGS:
        c = cat(slug)
        danger = next(i for i in c.indicators if i.immediate_danger)
        a = assessment_services.start_assessment(actor(people.alice), Authority.objects.get(slug=slug),
                                                 mode="consultation")
        assessment_services.save_ticks(actor(people.alice), a, [danger.id])
        panel = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
        links += _tel_links(panel)
        assert _tel_links(panel), slug
    for link in links:
        assert re.fullmatch(r"\d{3}|0\d{9,10}", link), link
