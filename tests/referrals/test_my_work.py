"""The "my work" page (referrals.views.my_work): the practitioner's own assessments and drafts, and no
one else's."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.conftest import SIGN_IN
from tests.factories import ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db


def test_standard_cases(people, access):
    url = reverse("assessment-list")
    assert access("get", url) == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 200}
    assert access("post", url, who=["owner"]) == {"owner": 405}


def test_each_person_sees_their_own_work_only(people, login):
    mine = ready_draft(people.alice, people.sefton, child_name="Alice Child")
    theirs = ready_draft(people.bob, people.sefton, child_name="Bob Child")
    page = login(people.alice).get(reverse("assessment-list")).content.decode()
    assert re.findall(r'href="/drafts/(\d+)/"', page) == [str(mine.pk)]
    assert re.findall(r'href="/assessments/(\d+)/"', page) == [str(mine.assessment_id)]
    assert "Bob Child" not in page and f"Draft {theirs.pk}" not in page


def test_older_work_is_reachable_a_page_at_a_time_in_constant_queries(people, client,
                                                                       django_assert_max_num_queries):
    """Years of assessments: 50 a page, newest first, each list paging on its own, and the page's queries do
    not grow with the work (it was cut at 200 rows, the older ones unreachable)."""
    from catalogues.models import CatalogueVersion
    from referrals import history
    from referrals.views import MY_WORK_PAGE

    version = CatalogueVersion.objects.current_for(people.sefton)
    history.seed(version, history.Cast(people.school.pk, [people.alice.pk], [people.lead.pk]), 130,
                 end=timezone.localdate(), days=300)
    client.force_login(people.alice)
    with django_assert_max_num_queries(12):
        first = html(client.get(reverse("assessment-list")).content.decode())
    tables = first.find_all("table")
    assert len(tables[0].find("tbody").find_all("tr")) == MY_WORK_PAGE
    assert "1 to 50 of 130" in tables[0].find("caption").all_text()
    last = html(client.get(reverse("assessment-list"), {"assessments": 3, "drafts": 2}).content.decode())
    assert "101 to 130 of 130" in last.find_all("table")[0].find("caption").all_text()
    newest = Assessment.objects.filter(owner=people.alice).order_by("-updated_at", "-pk")
    shown = [a.attrs["href"] for a in last.find_all("table")[0].find_all("a")]
    assert shown == [reverse("assessment-detail", args=[a.pk]) for a in newest[100:]]
    nav = last.find("nav", aria_label="Pages of assessments").find("a", rel="prev").attrs["href"]
    assert "assessments=2" in nav and "drafts=2" in nav, "paging one list keeps the other's page"
