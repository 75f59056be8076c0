"""What leaks nothing: the error pages (no traceback, no internals) and the logs (never a child's name)."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ready_draft


@pytest.mark.django_db
def test_error_pages_leak_nothing(people, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(people.alice)
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "Page not found" in page.content.decode()
    assert "Traceback" not in page.content.decode() and "urlpatterns" not in page.content.decode()
    with mock.patch("authorities.actor.Actor.of", side_effect=RuntimeError("secret internals")):
        boom = client.get("/")
    assert boom.status_code == 500
    body = boom.content.decode()
    assert "Sorry, there is a problem with the service" in body and "secret internals" not in body


@pytest.mark.django_db
def test_a_childs_name_never_reaches_the_logs(people, client, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")  # settings keep it at ERROR: hear the 404 too
    client.force_login(people.alice)
    d = ready_draft(people.alice, people.sefton, child_name="Zebedee Unique-Name")
    client.get(reverse("draft-detail", args=[d.pk]))
    client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "record"})
    client.post(reverse("draft-detail", args=[d.pk]), {"revision": 0, "child_name": "Zebedee Unique-Name"})
    client.get("/no-such-page/?name=Zebedee")
    assert "Not Found: /no-such-page/" in caplog.text, "the logs are heard"
    assert "Zebedee" not in caplog.text.replace("name=Zebedee", "")
