"""Contract tests generated from the OpenAPI schema (schemathesis): every operation, with generated
parameters and bodies, answers only with statuses, content types and bodies the schema documents, and
never a server error. Kept fast: a few examples per operation, sent through the WSGI app."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.endpoints import api
from config.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The schema as served at /api/v1/openapi.json (built without a request: no database needed to collect).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application  # calls go through the WSGI app, as from_wsgi would send them


@pytest.fixture(autouse=True)
def _through_wsgi(db, settings):
    settings.API_PUBLIC_REQUESTS_PER_MINUTE = 100_000
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: the test's database connection must outlive each WSGI request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secret(people, issue):
    return issue()[1]


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_schema(case, secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_schema_without_a_token(case):
    case.call_and_validate(checks=CHECKS)
