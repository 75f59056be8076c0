"""Issue: runnable project. Settings, sign-in by default, health check, deploy check."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(__file__).resolve().parent.parent
ALLOW_LIST = {"login", "healthz"}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def _sample_path(route: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


@pytest.mark.django_db
def test_every_url_needs_sign_in_except_the_allow_list(client):
    seen = 0
    for name, route in _patterns():
        path = _sample_path(route)
        response = client.get(path)
        if name in ALLOW_LIST:
            assert response.status_code == 200, (name, path, response.status_code)
        else:
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].startswith(reverse("login")), (name, response["Location"])
        seen += 1
    assert seen >= 8


@pytest.mark.django_db
def test_health_check_answers_200_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_fails(client):
    with mock.patch("authorities.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_home_shows_who_is_signed_in_and_where_to_go(people, login):
    body = login(people.alice).get("/").content.decode()
    assert "Signed in as Alice" in body
    assert "Practitioner, Test School (fictional) (Sefton)" in body
    assert reverse("assessment-new") in body


@pytest.mark.django_db
def test_sign_in_rotates_the_session_key_and_sign_out_ends_it(people, client):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-test-password-1"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert before is None or before.value != key
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_a_session_planted_in_the_browser_does_not_survive_signing_in(people, client):
    """An attacker signs the browser into their own account; the victim then signs in as themselves."""
    from django.contrib.sessions.models import Session

    client.force_login(people.outsider)
    planted = client.cookies["sessionid"].value
    form = client.get(reverse("login"))
    assert form.status_code == 200, "the sign-in form is shown, not a redirect into the planted account"
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-test-password-1"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert key != planted and not Session.objects.filter(session_key=planted).exists()
    assert client.get(reverse("home")).context["user"] == people.alice


def _run_django(env_overrides: dict, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_bad_debug_value_fails_loudly():
    result = _run_django({"DJANGO_DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a yes/no value" in result.stderr


def test_missing_secret_key_fails_loudly_when_debug_is_off():
    result = _run_django({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.org"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.org", "SITE_URL": "https://example.org"}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"DJANGO_2FA_ROLES": "safeguarding_lead,catalog_admin"}, "DJANGO_2FA_ROLES names unknown role(s) catalog_admin"),
    ({"SITE_URL": ""}, "SITE_URL must be set when DJANGO_DEBUG is off"),
    ({"SITE_URL": "http://example.org"}, "must start with https:// when DJANGO_DEBUG is off"),
])
def test_configuration_that_would_fail_open_refuses_to_start(overrides, message):
    env = PRODUCTION | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)} | overrides
    if not env["SITE_URL"]:
        del env["SITE_URL"]
    result = _run_django(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_the_known_roles_in_settings_are_the_models_roles():
    from django.conf import settings

    from authorities.models import Role

    assert tuple(settings.KNOWN_ROLES) == tuple(Role.values)


def test_production_settings_pass_the_deploy_check():
    env = PRODUCTION | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    result = _run_django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_is_tuned_for_concurrent_use():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.parametrize("env", [{"DATABASE_URL": "sqlite:////tmp/tds-url-test.sqlite3"}, {}])
def test_sqlite_is_tuned_whatever_the_database_url(env):
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
                            | {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_TESTING": "1"} | env)
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in options["init_command"]
