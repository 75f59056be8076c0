import pytest
from django.urls import reverse

from thresholds.models import Assessment


@pytest.mark.django_db
def test_practitioner_assesses_a_child_and_the_suggestion_follows_the_ticks(people, login):
    client = login(people.alice)
    response = client.post(reverse("assessment-new"), {
        "authority": people.sefton.pk, "mode": "named", "child_name": "Test Child",
        "date_of_birth": "01/02/2018", "due_date": "", "reference": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Tick what you see" in page.content.decode()
    cat = assessment.catalogue_version.catalogue
    l4 = [i.id for i in cat.indicators if i.level == 4 and not i.immediate_danger and not i.sufficient_alone][:2]
    r = client.post(response["Location"], {"tick": l4}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "Level 4" in r.content.decode()
    assessment.refresh_from_db()
    assert assessment.ticks == l4 and assessment.suggested_level == 4
