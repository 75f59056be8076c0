"""Malformed catalogue input, uploaded or typed into a section, is a 400 that names the place: never a
500, never half-saved. Hypothesis supplies the shapes; a few hand-made ones are the classic attacks."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogues.models import CatalogueVersion

pytestmark = pytest.mark.django_db
HUGE = "9" * 5000


def _sefton_text(**replace) -> str:
    content = CatalogueVersion.objects.current_for_slug("sefton").content
    text = json.dumps(content, indent=2)
    for old, new in replace.items():
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def admin_client(people, client):
    client.force_login(people.admin)
    return client


@pytest.mark.parametrize("text, place", [
    ("LEVELS_HUGE", "line "),
    ('{"a":' * 3000 + "1" + "}" * 3000, "(file)"),
    ("[" * 100000 + "]" * 100000, "(file)"),
    ('{"authority": ', "line 1, column"),
    ("\ufeff{}", ""),
])
def test_a_malformed_upload_is_refused_with_its_place(admin_client, text, place):
    if text == "LEVELS_HUGE":
        text = _sefton_text(**{'"number": 1': f'"number": {HUGE}'})
    before = CatalogueVersion.objects.count()
    upload = SimpleUploadedFile("sefton.json", text.encode(), content_type="application/json")
    response = admin_client.post(reverse("catalogue-upload", args=["sefton"]), {"file": upload})
    assert response.status_code == 400
    assert place in response.content.decode()
    assert CatalogueVersion.objects.count() == before


def test_a_5000_digit_number_in_a_section_edit_is_a_400_with_the_line(admin_client):
    admin_client.post(reverse("catalogue-draft-start", args=["sefton"]))
    draft = CatalogueVersion.objects.draft_for(CatalogueVersion.objects.current_for_slug("sefton").authority)
    before = draft.content_hash
    text = json.dumps(draft.content["levels"], indent=2).replace('"number": 1', f'"number": {HUGE}', 1)
    response = admin_client.post(reverse("catalogue-section", args=["sefton", "levels"]), {"content": text})
    assert response.status_code == 400
    line = text[: text.index(HUGE)].count("\n") + 1
    assert f"line {line}: a number there is thousands of digits long" in response.content.decode()
    draft.refresh_from_db()
    assert draft.content_hash == before


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                       lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSONISH)
def test_any_json_in_a_section_edit_is_saved_valid_or_refused_with_a_place(admin_client, value):
    admin_client.post(reverse("catalogue-draft-start", args=["sefton"]))
    draft = CatalogueVersion.objects.draft_for(CatalogueVersion.objects.current_for_slug("sefton").authority)
    before = draft.content_hash
    response = admin_client.post(reverse("catalogue-section", args=["sefton", "rules"]),
                                 {"content": json.dumps(value)})
    assert response.status_code in (302, 400)
    draft.refresh_from_db()
    if response.status_code == 400:
        assert draft.content_hash == before and "govuk-error-message" in response.content.decode()
