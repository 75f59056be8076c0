"""The "my work" page (referrals.views.my_work): the practitioner's own assessments and drafts, and no
one else's."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import SIGN_IN
from tests.factories import ready_draft

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
