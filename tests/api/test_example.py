"""docs/api-example.py, run against the application (through Django's test client), so it cannot rot."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from referrals import services as referral_services
from tests.factories import actor, ready_draft

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "api-example.py"


def _example():
    spec = importlib.util.spec_from_file_location("api_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sender(client):
    def send(method, path, body, headers):
        extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
        response = getattr(client, method.lower())(path, json.dumps(body) if body is not None else None,
                                                   content_type="application/json", **extra)
        return response.status_code, response.json()
    return send


@pytest.mark.django_db
def test_the_api_example_walks_through_against_the_application(client, people, issue):
    example = _example()
    d = ready_draft(people.alice, people.sefton)
    referral_services.approve(actor(people.lead), referral_services.submit(actor(people.alice), d))
    _, secret = issue()
    lines: list[str] = []
    out = example.walk_through(example.Client(_sender(client), secret), say=lines.append)
    assert out["assessment"]["suggestion"]["suggested_level"] == 2
    assert out["approved"]["draft"] == d.pk and out["approved"]["record"] == d.submissions.get().record
    assert lines[0].startswith("Started assessment") and "Approved referral of draft" in lines[-1]
