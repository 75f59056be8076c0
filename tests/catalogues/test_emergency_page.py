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


def _headings(page: str) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m">([^<]*)</h2>', page)


def test_the_childs_partnership_comes_first_from_the_childs_pages(people, login):
    """A Sefton practitioner with a Knowsley child: Knowsley first, with the others to choose from."""
    client = login(people.alice)
    knowsley = Authority.objects.get(slug="knowsley")
    page = client.get(reverse("emergency"), {"partnership": "knowsley"}).content.decode()
    assert _headings(page)[0] == knowsley.name
    assert "Shown first: <strong>Knowsley</strong>, the child&#x27;s partnership." in page
    choice = re.search(r'data-testid="partnership-choice">(.*?)</ul>', page, re.S)
    assert choice is not None
    others = re.findall(r'href="#partnership-([a-z-]+)"', choice.group(1))
    assert sorted(others) == sorted(s for s in SLUGS if s != "knowsley")
    for slug in SLUGS:
        assert f'id="partnership-{slug}"' in page
    # The assessment and draft pages link to the page with the child's partnership.
    a = assessment_services.start_assessment(actor(people.alice), knowsley, mode="consultation")
    detail = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    assert f'href="{reverse("emergency")}?partnership=knowsley"' in detail


def test_an_unknown_partnership_falls_back_to_the_users_own_then_alphabetical(people, login, newcomer):
    page = login(people.alice).get(reverse("emergency"), {"partnership": "nowhere"}).content.decode()
    assert _headings(page)[0] == people.sefton.name and "your partnership" in page
    # A user whose partnership has no catalogue yet: alphabetical, and nothing claims to be shown first.
    from authorities.models import Membership, Organisation, Role
    from tests.conftest import _user
    org = Organisation.objects.create(authority=newcomer, name="Newcomer school (fictional)")
    user = _user("newbie", org, Role.PRACTITIONER)
    assert Membership.objects.filter(user=user).exists()
    page = login(user).get(reverse("emergency")).content.decode()
    assert _headings(page) == sorted(_headings(page)) and 'data-testid="shown-first"' not in page
