"""config/settings.py: configuration that would fail open refuses to start; production passes Django's
deploy check with secure cookies; SQLite is tuned for concurrent use."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.factories import ROOT


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


def test_production_cookies_are_secure():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 20 + "y" * 20 + "z" * 20, "DJANGO_ALLOWED_HOSTS": "a.org",
            "SITE_URL": "https://a.org"}
    code = ("import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
            "from django.conf import settings as s;print(s.SESSION_COOKIE_SECURE,s.CSRF_COOKIE_SECURE,"
            "s.SESSION_COOKIE_HTTPONLY,s.SESSION_COOKIE_SAMESITE,s.SECURE_HSTS_SECONDS>=31536000)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "True", "True", "Lax", "True"], out.stderr


def test_smtp_settings_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_EMAIL_HOST": "smtp.example.invalid",
        "DJANGO_EMAIL_PORT": "587", "DJANGO_EMAIL_USE_TLS": "1", "DJANGO_EMAIL_HOST_USER": "thresholds",
        "DJANGO_EMAIL_HOST_PASSWORD": "not-a-real-password", "DJANGO_EMAIL_TIMEOUT": "7"}
    code = ("import django,json,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
            "from django.conf import settings as s;print(json.dumps([s.EMAIL_HOST,s.EMAIL_PORT,s.EMAIL_USE_TLS,"
            "s.EMAIL_USE_SSL,s.EMAIL_HOST_USER,s.EMAIL_HOST_PASSWORD,s.EMAIL_TIMEOUT]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        "smtp.example.invalid", 587, True, False, "thresholds", "not-a-real-password", 7], out.stderr


@pytest.mark.parametrize(("overrides", "message"), [
    ({"DJANGO_EMAIL_USE_TLS": "1", "DJANGO_EMAIL_USE_SSL": "1"},
     "DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both on: choose one"),
    ({"DJANGO_EMAIL_PORT": "70000"}, "DJANGO_EMAIL_PORT=70000 is not a port number"),
    ({"DJANGO_EMAIL_TIMEOUT": "0"}, "DJANGO_EMAIL_TIMEOUT=0 must be a number of seconds above 0"),
])
def test_bad_email_settings_refuse_to_start(overrides, message):
    result = _run_django(PRODUCTION | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)} | overrides, "check")
    assert result.returncode != 0
    assert message in result.stderr
