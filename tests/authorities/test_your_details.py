"""Your details (authorities.views.your_details): the job title and phone a person says once, which start
every new referral draft; and the demo's organisations say which is a school."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from authorities.models import Organisation, Profile
from tests.pages import html

pytestmark = pytest.mark.django_db


def test_the_page_shows_what_is_saved_and_what_comes_from_the_account(people, client):
    Profile.objects.create(user=people.alice, job_title="Year 4 teacher", phone="01234 000000")
    client.force_login(people.alice)
    page = html(client.get(reverse("your-details")).content.decode())
    assert page.find(id="id_job_title").attrs["value"] == "Year 4 teacher"
    assert page.find(id="id_phone").attrs["type"] == "tel"
    assert people.school.name in page.find(data_testid="your-details").all_text()


def test_a_too_long_job_title_is_refused_with_the_error_and_nothing_saved(people, client):
    client.force_login(people.alice)
    response = client.post(reverse("your-details"), {"job_title": "x" * 201, "phone": "0123"})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert not Profile.objects.filter(user=people.alice).exists()


def test_looking_writes_nothing_and_signed_out_people_are_sent_to_sign_in(people, client):
    assert client.get(reverse("your-details"))["Location"].startswith(reverse("login"))
    client.force_login(people.bob)
    assert client.get(reverse("your-details")).status_code == 200
    assert not Profile.objects.exists()


def test_the_demo_marks_its_school_and_gives_each_person_a_job_title(settings, people):
    settings.DEMO = True
    call_command("seed_demo", stdout=StringIO())
    school = Organisation.objects.get(authority=people.sefton, name="Brightwater Primary School (fictional)")
    health = Organisation.objects.get(authority=people.sefton, name="Northgate Health Visiting Team (fictional)")
    assert school.is_school and not health.is_school
    assert Profile.objects.get(user__username="practitioner.sefton").job_title == "Year 4 class teacher"
