"""A partnership with no published catalogue yet: pages that need one answer 404 and services refuse,
rather than failing on a missing version (found by the type checker)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from authorities.actor import Actor
from authorities.models import Authority, Membership, Organisation, Role
from core.errors import NotAllowed
from escalation import services as escalation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return Authority.objects.create(slug="newcomer", name="Newcomer (fictional)")


def test_downloading_a_catalogue_that_is_not_published_yet_is_not_found(people, client, newcomer):
    unit = Organisation.objects.create(authority=newcomer, name="Newcomer unit (fictional)")
    Membership.objects.create(user=people.admin, organisation=unit, role=Role.CATALOGUE_ADMIN)
    client.force_login(people.admin)
    assert client.get(reverse("catalogue-download", args=["newcomer"])).status_code == 404
    assert client.get(reverse("catalogue-download", args=["sefton"])).status_code == 200


def test_an_escalation_for_a_partnership_without_a_catalogue_is_not_found(people, client, newcomer):
    client.force_login(people.alice)
    assert client.get(reverse("escalation-new"), {"authority": newcomer.pk}).status_code == 404
    assert client.get(reverse("escalation-new"), {"authority": people.sefton.pk}).status_code == 200


def test_opening_an_escalation_without_a_catalogue_is_refused(people, newcomer):
    with pytest.raises(NotAllowed, match="no published catalogue"):
        escalation_services.open_case(Actor.of(people.alice), newcomer, our_agency="A", other_agency="B",
                                      about="x")


def test_a_scheduled_job_cannot_own_a_record():
    with pytest.raises(NotAllowed):
        _ = Actor.system("retention").person


def test_uploading_to_a_partnership_without_a_published_catalogue_says_how_to_load_the_first(people, client,
                                                                                           newcomer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalogues.models import CatalogueVersion

    unit = Organisation.objects.create(authority=newcomer, name="Newcomer unit (fictional)")
    Membership.objects.create(user=people.admin, organisation=unit, role=Role.CATALOGUE_ADMIN)
    client.force_login(people.admin)
    content = CatalogueVersion.objects.current_for_slug("sefton").content
    content = {**content, "authority": {**content["authority"], "slug": "newcomer"}}
    upload = SimpleUploadedFile("newcomer.json", json.dumps(content).encode(), content_type="application/json")
    response = client.post(reverse("catalogue-upload", args=["newcomer"]), {"file": upload})
    assert response.status_code == 400 and "load_catalogues" in response.content.decode()
    assert not CatalogueVersion.objects.filter(authority=newcomer).exists()
