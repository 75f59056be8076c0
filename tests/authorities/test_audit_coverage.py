"""One audit event for every response that shows case data, whatever its status, and one for every
denied or refused attempt; none of them holds the child's name."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from authorities.actor import Actor
from authorities.models import AuditEvent
from escalation import services as escalation_services
from referrals import services as referral_services
from tests.factories import assessment, ready_draft

pytestmark = pytest.mark.django_db
CHILD = "Zebedee Unique-Name"


@pytest.fixture
def world(people):
    draft = ready_draft(people.alice, people.sefton, level=2, child_name=CHILD)
    not_ready = referral_services.create_from_assessment(
        Actor.of(people.alice), assessment(people.alice, people.sefton, child_name=CHILD))
    submitted = referral_services.submit(Actor.of(people.alice),
                                         ready_draft(people.alice, people.sefton, level=2, child_name=CHILD))
    case = escalation_services.open_case(Actor.of(people.alice), people.sefton, draft=draft, our_agency="A",
                                         other_agency="B", about="x")
    return {"draft": draft, "not_ready": not_ready, "submitted": submitted, "case": case,
            "assessment": draft.assessment}


def _events(call) -> list[AuditEvent]:
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = call()
    return response, list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


# (persona, method, url name, record key, data, htmx, status, action, purpose)
CASES = [
    ("alice", "get", "draft-detail", "draft", None, False, 200, "draft.view", ""),
    ("alice", "post", "draft-detail", "draft", {"date_of_birth": "31/02/2015", "revision": "{rev}"}, False, 400,
     "draft.view", "invalid_save"),
    ("alice", "post", "draft-detail", "draft", {"revision": "1"}, False, 409, "draft.view", "conflict"),
    ("alice", "post", "draft-detail", "draft", {"revision": "1"}, True, 409, "draft.save_refused", "stale"),
    ("alice", "post", "draft-detail", "submitted", {"revision": "{rev}"}, True, 409, "draft.save_refused",
     "not_editable"),
    ("alice", "post", "draft-submit", "not_ready", {}, False, 400, "draft.view", "not_ready"),
    ("alice", "post", "draft-review", "submitted", {"decision": "approve"}, False, 302, "draft.refused",
     "not_allowed"),
    ("lead", "post", "draft-review", "submitted", {}, False, 400, "draft.view", "invalid_review"),
    ("alice", "get", "draft-pdf", "draft", None, False, 302, "draft.pdf_refused", "no_purpose"),
    ("alice", "get", "assessment-detail", "assessment", None, False, 200, "assessment.view", ""),
    ("alice", "post", "assessment-choose-level", "assessment", {"level": ""}, False, 400, "assessment.view",
     "invalid_level"),
    ("alice", "post", "assessment-detail", "assessment", {"tick": ["no-such-id"], "revision": "{rev}"}, False,
     400, "assessment.view", "invalid_ticks"),
    ("alice", "post", "assessment-detail", "assessment", {"tick": [], "revision": "1"}, False, 409,
     "assessment.change_refused", "stale"),
    ("alice", "get", "escalation-detail", "case", None, False, 200, "escalation.view", ""),
    ("alice", "post", "escalation-step", "case", {}, False, 400, "escalation.view", "invalid_step"),
    ("alice", "post", "escalation-close", "case", {}, False, 400, "escalation.view", "invalid_close"),
    ("outsider", "get", "draft-detail", "draft", None, False, 404, "access.denied", "not_found"),
    ("outsider", "post", "draft-detail", "draft", {"revision": "1"}, False, 404, "access.denied", "not_found"),
    ("outsider", "get", "assessment-detail", "assessment", None, False, 404, "access.denied", "not_found"),
    ("outsider", "get", "escalation-detail", "case", None, False, 404, "access.denied", "not_found"),
    ("outsider_lead", "get", "draft-pdf", "submitted", {"purpose": "review"}, False, 404, "access.denied",
     "not_found"),
]


@pytest.mark.parametrize("persona, method, name, key, data, htmx, status, action, purpose", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[6]}-{c[8] or 'plain'}" for c in CASES])
def test_every_response_showing_or_refusing_case_data_is_audited(people, world, client, persona, method, name,
                                                                  key, data, htmx, status, action, purpose):
    target = world[key]
    client.force_login(getattr(people, persona))
    url = reverse(name, args=[target.pk])
    if data is not None:
        revision = str(target.revision) if hasattr(target, "revision") else ""
        data = {k: (v.replace("{rev}", revision) if isinstance(v, str) else v) for k, v in data.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response, events = _events(lambda: getattr(client, method)(url, data, **headers))
    assert response.status_code == status
    assert [(e.action, e.purpose) for e in events] == [(action, purpose)]
    for e in events:
        assert CHILD.split()[0] not in json.dumps([e.action, e.object_id, e.purpose, e.detail, e.actor_role])


def test_a_denied_attempt_names_the_path_not_the_child(people, world, client):
    client.force_login(people.outsider)
    _, [event] = _events(lambda: client.get(reverse("draft-detail", args=[world["draft"].pk])))
    assert event.detail == {"path": f"/drafts/{world['draft'].pk}/", "view": "draft-detail"}
    assert event.actor == people.outsider and event.object_id == ""
