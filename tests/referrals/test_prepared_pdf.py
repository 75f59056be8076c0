"""A long draft's PDF is rendered in the background (referrals.services.prepare_pdf), not in the request:
the person is shown a page that checks again until it is ready, downloads it once, and only they can; the
stored copy goes with the download or after half an hour. Tasks run in-process here, as with no broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from authorities.models import AuditEvent, BackgroundTask
from referrals import services
from referrals.models import PreparedPdf
from tests.factories import actor, ready_draft
from tests.referrals.test_pdf import _pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_draft(people, settings):
    settings.PDF_BACKGROUND_CHARS = 3000  # a few pages, so the test renders quickly
    return ready_draft(people.alice, people.sefton, worries="Long worry words. " * 200)


def _ask(client, draft, capture):
    with capture(execute=True):
        return client.get(reverse("draft-pdf", args=[draft.pk]), {"purpose": "record"})


def test_a_short_draft_still_downloads_at_once(client, people, settings):
    draft = ready_draft(people.alice, people.sefton, worries="Short worry words")
    client.force_login(people.alice)
    response = client.get(reverse("draft-pdf", args=[draft.pk]), {"purpose": "record"})
    assert response["Content-Type"] == "application/pdf" and not PreparedPdf.objects.exists()


def test_a_long_draft_is_prepared_in_the_background_and_downloaded_once(client, people, long_draft,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(people.alice)
    response = _ask(client, long_draft, django_capture_on_commit_callbacks)
    prepared = PreparedPdf.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("draft-pdf-prepared", args=[long_draft.pk, prepared.token])
    assert BackgroundTask.objects.get(key=f"pdf:{prepared.token}").state == BackgroundTask.State.DONE
    assert AuditEvent.objects.filter(action="draft.pdf_requested", object_id=str(long_draft.pk),
                                     purpose="record").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Your PDF is ready" in page and "http-equiv" not in page
    download = client.get(response["Location"], {"download": "1"})
    assert download["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(download.content)
    assert "Long worry words." in text and pages > 1
    assert AuditEvent.objects.filter(action="draft.pdf", object_id=str(long_draft.pk), purpose="record").count() == 1
    assert not PreparedPdf.objects.exists(), "the child's details are not kept once downloaded"
    assert client.get(response["Location"], {"download": "1"}).status_code == 404


def test_only_the_person_who_asked_can_fetch_it(client, people, long_draft, django_capture_on_commit_callbacks):
    services.submit(actor(people.alice), long_draft)  # now its author and their lead both see it
    client.force_login(people.lead)
    url = _ask(client, long_draft, django_capture_on_commit_callbacks)["Location"]
    client.force_login(people.alice)  # sees the draft, but did not ask for this print
    assert client.get(reverse("draft-detail", args=[long_draft.pk])).status_code == 200
    assert client.get(url).status_code == 404 and client.get(url, {"download": "1"}).status_code == 404
    client.force_login(people.outsider)
    assert client.get(url, {"download": "1"}).status_code == 404
    assert PreparedPdf.objects.get().state == PreparedPdf.State.READY
    client.force_login(people.lead)
    assert client.get(url, {"download": "1"})["Content-Type"] == "application/pdf"


def test_while_it_is_prepared_the_page_checks_again_without_script(client, people, long_draft):
    client.force_login(people.alice)
    url = client.get(reverse("draft-pdf", args=[long_draft.pk]), {"purpose": "record"})["Location"]  # not run yet
    page = client.get(url).content.decode()
    assert "Preparing your PDF" in page and '<meta http-equiv="refresh" content="3">' in page
    assert "Preparing your PDF" in client.get(url, {"download": "1"}).content.decode(), "nothing to download yet"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        late = client.get(url).content.decode()
    assert "taking longer than it should" in late and "http-equiv" not in late
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        client.force_login(people.alice)  # signed out by then for being idle: signed in again
        assert client.get(url).status_code == 404, "kept half an hour at most"


def test_a_prepared_pdf_past_the_page_limit_says_what_to_shorten(client, people, long_draft, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.PDF_MAX_PAGES = 1
    client.force_login(people.alice)
    response = client.get(_ask(client, long_draft, django_capture_on_commit_callbacks)["Location"])
    assert response.status_code == 413
    assert "more than 1: shorten the longest sections" in response.content.decode()


def test_the_nightly_retention_removes_prepared_pdfs_never_downloaded(client, people, long_draft,
                                                                      django_capture_on_commit_callbacks):
    from authorities.retention import apply_retention

    client.force_login(people.alice)
    _ask(client, long_draft, django_capture_on_commit_callbacks)
    apply_retention()
    assert PreparedPdf.objects.count() == 1, "not yet half an hour old"
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        apply_retention()
    assert not PreparedPdf.objects.exists()
