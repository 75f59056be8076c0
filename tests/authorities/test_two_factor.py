"""Two-factor sign-in (authorities/two_factor.py and recovery_codes.py): leads and catalogue admins set up
an authenticator app, then give a code at each sign-in; recovery codes work once and are stored hashed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, SIGN_IN


def test_standard_cases_of_the_two_factor_pages(people, access):
    for name in ("two-factor-setup", "two-factor-verify"):
        assert access("put", reverse(name), owner=people.lead, who=["owner", "anonymous"]) == {
            "owner": 405, "anonymous": SIGN_IN}, name


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
@pytest.mark.two_factor
def test_leads_must_set_up_two_factor_then_get_recovery_codes(people):
    client = Client()
    client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-setup"))
    assert client.get(reverse("review-queue")).status_code == 302  # nothing else until done
    page = client.get(reverse("two-factor-setup"))
    assert 'data-testid="secret"' in page.content.decode()
    device = TOTPDevice.objects.get(user=people.lead)
    wrong = client.post(reverse("two-factor-setup"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes a retry after a failure wait a second; skip the wait
    done = client.post(reverse("two-factor-setup"), {"code": _code(device)})
    codes = [c for c in done.content.decode().split("<code>")[1:]]
    assert len(codes) == 10
    assert client.get(reverse("review-queue")).status_code == 200


@pytest.mark.django_db
@pytest.mark.two_factor
def test_second_sign_in_asks_for_the_code_and_a_recovery_code_works_once(people):
    from django_otp.plugins.otp_static.models import StaticDevice

    from authorities import recovery_codes

    device = TOTPDevice.objects.create(user=people.admin, name="app", confirmed=True)
    StaticDevice.objects.create(user=people.admin, name="Recovery codes")
    [code, *_] = recovery_codes.issue(people.admin)
    for attempt in range(2):
        client = Client()
        client.post(reverse("login"), {"username": "catadmin", "password": PASSWORD})
        assert client.get(reverse("catalogue-admin"))["Location"].startswith(reverse("two-factor-verify"))
        response = client.post(reverse("two-factor-verify"), {"code": code, "next": "/catalogue/"})
        if attempt == 0:
            assert response["Location"] == "/catalogue/"
            assert client.get(reverse("catalogue-admin")).status_code == 200
        else:
            assert response.status_code == 400  # used up
    device.refresh_from_db()
    device.throttle_reset()  # the failed attempt above makes the next one wait a second; skip the wait
    client = Client()
    client.post(reverse("login"), {"username": "catadmin", "password": PASSWORD})
    client.post(reverse("two-factor-verify"), {"code": _code(device)})
    assert client.get(reverse("catalogue-admin")).status_code == 200


@pytest.mark.django_db
@pytest.mark.two_factor
def test_practitioners_do_not_need_two_factor_by_default(people):
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.two_factor
def test_verify_does_not_redirect_off_site(people):
    device = TOTPDevice.objects.create(user=people.admin, name="app", confirmed=True)
    client = Client()
    client.post(reverse("login"), {"username": "catadmin", "password": PASSWORD})
    response = client.post(reverse("two-factor-verify"), {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_recovery_codes_are_stored_hashed_and_work_once(people):
    from django_otp.plugins.otp_static.models import StaticToken

    from authorities import recovery_codes
    from authorities.models import RecoveryCode

    codes = recovery_codes.issue(people.lead)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = " ".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(code.split("-")[1] in stored for code in codes), "no secret part in the database"
    assert not StaticToken.objects.exists(), "django-otp's plain tokens are not used"
    assert recovery_codes.use(people.lead, codes[3].upper())  # as typed, in capitals
    assert not recovery_codes.use(people.lead, codes[3]), "once only"
    assert not recovery_codes.use(people.alice, codes[4]), "only the user's own"
    assert recovery_codes.left(people.lead) == 9
    assert recovery_codes.issue(people.lead) and recovery_codes.left(people.lead) == 10, "new codes replace the old"
    assert not recovery_codes.use(people.lead, codes[4])
