"""Shared fixtures: catalogues loaded once per test database, the personas every view test uses, and
`access`, which asks one URL as each persona (the standard cases of a view).

Personas (after healthchecks' hc/test.py): practitioners alice and bob in one school, the school's
safeguarding lead, a practitioner and a lead in another organisation and another partnership, a
catalogue admin, and anonymous. Building blocks (assessments, drafts, plain indicators, `actor`) are
in tests/factories.py.
"""

from __future__ import annotations

import functools
import os

os.environ.setdefault("DJANGO_TESTING", "1")

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402

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


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once per run with the real hasher (each hash takes a quarter of a second)."""
    return make_password(PASSWORD)


def _user(username: str, org: Organisation, role: str):
    user = get_user_model().objects.create_user(username=username, password=None, first_name=username.title())
    user.password = _password_hash()
    user.save(update_fields=["password"])
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
def newcomer(db):
    """A partnership with no published catalogue yet."""
    return Authority.objects.create(slug="newcomer", name="Newcomer (fictional)")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


# The standard cases of a view: the owner, someone else in the same organisation, the lead of that
# organisation, an outsider (another organisation and partnership) and their lead, a catalogue admin,
# and anonymous. The owner goes last, so that a request others are refused cannot have been made possible
# by the owner's own (a POST that works changes the record).
STANDARD = ("colleague", "lead", "outsider", "outsider_lead", "admin", "anonymous", "owner")
SIGN_IN = "sign-in"  # what `access` reports for a redirect to the sign-in page


@pytest.fixture
def access(client, people):
    """`access(method, url, data)`: what each persona gets, as {persona: status}, where a redirect to the
    sign-in page reads "sign-in". `owner=` names the owner (alice by default); `who=` the personas to ask.

        assert access("get", url) == {"colleague": 404, ..., "anonymous": "sign-in", "owner": 200}
        assert access("put", url, who=["owner"]) == {"owner": 405}
    """
    def _access(method: str, url: str, data=None, *, owner=None, who=STANDARD, **extra) -> dict[str, int | str]:
        users = {"owner": owner or people.alice, "colleague": people.bob, "lead": people.lead,
                 "outsider": people.outsider, "outsider_lead": people.outsider_lead, "admin": people.admin,
                 "anonymous": None}
        seen: dict[str, int | str] = {}
        for persona in sorted(who, key=STANDARD.index):
            client.logout()
            if users[persona] is not None:
                client.force_login(users[persona])
            response = getattr(client, method)(url, data, **extra) if data is not None else \
                getattr(client, method)(url, **extra)
            signing_in = response.status_code == 302 and response["Location"].startswith(reverse("login"))
            seen[persona] = SIGN_IN if signing_in else response.status_code
        client.logout()
        return {persona: seen[persona] for persona in who}

    return _access
