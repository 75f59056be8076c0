"""The referral as a PDF (referrals.views.draft_pdf and the preview_referral command): every section, the
marking on every page, the contacts; hostile text stays text; printing needs a purpose and is audited."""

from __future__ import annotations

import http.server
import io
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import SLUGS, ready_draft


def _pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_has_every_section_the_marking_and_the_contacts(people, client, slug):
    from authorities.models import Authority

    authority = Authority.objects.get(slug=slug)
    d = ready_draft(people.alice, authority, level=3, worries="Worry words", strengths="Strength words")
    client.force_login(people.alice)
    response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})
    assert response["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(response.content)
    flat = " ".join(text.split())
    assert text.count("OFFICIAL-SENSITIVE") == 2 * pages  # at the top and the foot of every page
    assert f"Page 1 of {pages}" in flat
    for heading in ["Level of need", "The child", "Household members", "Other professionals", "The referrer",
                    "Concerns", "Consent", "Where this goes", "Worry words", "Strength words"]:
        assert heading in flat, heading
    cat = d.catalogue_version.catalogue
    assert cat.authority.partnership in flat
    assert f"catalogue version {d.catalogue_version.number}" in flat
    phones = [c.phone for c in cat.contacts if c.phone and c.id in cat.levels[2].response.contact_ids]
    for phone in phones:
        assert " ".join(phone.split()) in flat


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_hostile_text_is_escaped_and_fetches_nothing(people, client):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hostile = (f'<img src="http://127.0.0.1:{port}/x.png"><style>@import url(http://127.0.0.1:{port}/a.css);'
                   f'</style><link rel=stylesheet href="file:///etc/passwd"><b>bold</b>')
        d = ready_draft(people.alice, people.sefton, worries=hostile, child_voice=hostile)
        client.force_login(people.alice)
        response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "record"})
        text, _ = _pdf_text(response.content)
        assert "<img src=" in text and "<b>bold</b>" in text  # shown as text, not markup
        assert _Counter.hits == 0
        assert "root:x" not in text
    finally:
        server.shutdown()


@pytest.mark.django_db
def test_printing_needs_a_purpose_and_is_audited_with_it(people, client):
    from authorities.models import AuditEvent

    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    assert client.get(reverse("draft-pdf", args=[d.pk])).status_code == 302
    client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "send"})
    event = AuditEvent.objects.filter(action="draft.pdf").get()
    assert (event.purpose, event.object_id, event.actor) == ("send", str(d.pk), people.alice)


@pytest.mark.django_db
def test_preview_referral_renders_fictional_sample_for_each_authority(tmp_path):
    for slug in SLUGS:
        out = tmp_path / f"{slug}.pdf"
        call_command("preview_referral", slug, "--out", str(out), stdout=StringIO())
        text, _ = _pdf_text(out.read_bytes())
        assert "SAMPLE WITH FICTIONAL DATA" in " ".join(text.split()) and "OFFICIAL-SENSITIVE" in text
