"""A Knowsley child assessed by a Sefton practitioner: every contact shown or printed is Knowsley's (the
assessment's partnership), never the practitioner's own partnership's."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services as assessment_services
from authorities.models import Authority
from tests.factories import actor, ready_draft
from tests.factories import catalogue as cat

pytestmark = pytest.mark.django_db


def _dialled(html: str) -> set[str]:
    return set(re.findall(r'href="tel:([^"]*)"', html))


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


SEFTON_NUMBERS = {_digits(c.phone) for c in cat("sefton").contacts if c.phone and c.phone != "999"} | {"01519344481"}
KNOWSLEY_MASH = _digits(next(c.phone for c in cat("knowsley").contacts if c.id == "mash" and c.phone))


def test_the_assessment_page_summary_bar_and_danger_route_give_the_childs_partnerships_contacts(people, client):
    knowsley = Authority.objects.get(slug="knowsley")
    danger = next(i for i in cat("knowsley").indicators if i.immediate_danger)
    a = assessment_services.start_assessment(actor(people.alice), knowsley, mode="consultation")
    assessment_services.save_ticks(actor(people.alice), a, [danger.id])
    client.force_login(people.alice)
    page = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    bar = page[page.index('data-testid="summary-bar"'):]
    assert KNOWSLEY_MASH in _dialled(bar[:bar.index("</div>\n</div>")])
    assert KNOWSLEY_MASH in _dialled(page) and not _dialled(page) & SEFTON_NUMBERS


def test_the_draft_page_and_the_pdf_give_the_childs_partnerships_front_door(people, client):
    d = ready_draft(people.alice, Authority.objects.get(slug="knowsley"), level=4)
    client.force_login(people.alice)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert KNOWSLEY_MASH in _dialled(page) and not _dialled(page) & SEFTON_NUMBERS
    pdf = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content
    text = _digits(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert KNOWSLEY_MASH in text
    assert not any(n in text for n in SEFTON_NUMBERS), [n for n in SEFTON_NUMBERS if n in text]
