"""Shared fixtures: catalogues loaded once per test database, and the personas every view test uses.

Personas (after healthchecks' hc/test.py): practitioner A and B in one organisation, the lead of
that organisation, a practitioner and lead in another organisation and another authority, a
catalogue admin, and anonymous.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_TESTING", "1")

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from authorities.models import Authority, Membership, Organisation, Role  # noqa: E402

PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_catalogues", verbosity=0)


@pytest.fixture(autouse=True)
def _catalogues_loaded(request):
    """Browser tests use transactional databases, which are emptied after each test: reload then."""
    names = set(request.fixturenames)
    if not (request.node.get_closest_marker("django_db") or names & {"db", "transactional_db", "live_server"}):
        return
    request.getfixturevalue("transactional_db" if names & {"transactional_db", "live_server"} else "db")
    from catalogues.models import CatalogueVersion

    if not CatalogueVersion.objects.exists():
        call_command("load_catalogues", verbosity=0)


@pytest.fixture(autouse=True)
def _two_factor_only_where_tested(request, settings):
    """Most tests sign people in with force_login; two-factor has its own tests (marker two_factor)."""
    if not request.node.get_closest_marker("two_factor"):
        settings.TWO_FACTOR_ROLES = []


def _user(username: str, org: Organisation, role: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=username.title())
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


class Personas:
    def __init__(self):
        self.sefton = Authority.objects.get(slug="sefton")
        self.halton = Authority.objects.get(slug="halton")
        self.school = Organisation.objects.create(authority=self.sefton, name="Test School (fictional)")
        self.other_org = Organisation.objects.create(authority=self.halton, name="Other Clinic (fictional)")
        self.sefton_unit = Organisation.objects.create(authority=self.sefton, name="Sefton unit (fictional)")
        self.alice = _user("alice", self.school, Role.PRACTITIONER)
        self.bob = _user("bob", self.school, Role.PRACTITIONER)
        self.lead = _user("lead", self.school, Role.SAFEGUARDING_LEAD)
        self.outsider = _user("outsider", self.other_org, Role.PRACTITIONER)
        self.outsider_lead = _user("outsiderlead", self.other_org, Role.SAFEGUARDING_LEAD)
        self.admin = _user("catadmin", self.sefton_unit, Role.CATALOGUE_ADMIN)


@pytest.fixture
def people(db):
    return Personas()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
