"""Download in national (SSD) terms: for every partnership and every state of a referral, the export validates
against the schema shipped in the repository; it is made from the frozen submission (the approved one once
approved); only the author and their lead get it; every download and refusal is audited."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from assessments import services as assessment_services
from authorities.models import AuditEvent, Authority
from catalogues.engine import is_child_protection
from referrals import national
from referrals import services as referral_services
from referrals.models import Draft
from tests.factories import READY, SLUGS, actor, catalogue, ready_draft

pytestmark = pytest.mark.django_db
VALID_NHS = "9990000018"  # the 999 range is never issued: a test number
SCHEMA = json.loads(national.SCHEMA_FILE.read_text(encoding="utf-8"))


def _check(export: dict) -> dict:
    """Validated here with the schema file itself, not through the code under test."""
    errors = [f"{e.json_path}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(export)]
    assert errors == []
    return export


def _coded_ticks(slug: str) -> list[str]:
    """Two plain Level 2 concerns, those with census codes first (so the factors are not empty by chance)."""
    cat = catalogue(slug)
    plain = [i for i in cat.indicators if i.level == 2 and not is_child_protection(i) and not i.retired]
    return [i.id for i in sorted(plain, key=lambda i: not i.codes)][:2]


def _draft(people, slug: str, **over) -> Draft:
    authority = Authority.objects.get(slug=slug)
    a = assessment_services.start_assessment(actor(people.alice), authority, mode="named", child_name="Test Child",
                                             date_of_birth=date(2018, 2, 1))
    assessment_services.save_ticks(actor(people.alice), a, _coded_ticks(slug))
    d = referral_services.create_from_assessment(actor(people.alice), a)
    return referral_services.save(actor(people.alice), d, READY | {"chosen_level": 2} | over, d.revision)


def _export(client, user, d: Draft, purpose: str = "send"):
    client.force_login(user)
    return client.get(reverse("draft-national", args=[d.pk]), {"purpose": purpose})


@pytest.mark.parametrize("slug", SLUGS)
def test_every_state_of_a_referral_in_every_partnership_exports_valid_or_not_at_all(people, client, slug):
    d = _draft(people, slug, nhs_number=VALID_NHS)
    codes = {i.id: i.codes for i in catalogue(slug).indicators}
    factors = sorted({c for t in _coded_ticks(slug) for c in codes[t]}, key=national.factor_order)
    seen = {}

    def export_as(user, expect_status):
        response = _export(client, user, d)
        if response.status_code != 200:
            return response.status_code
        body = _check(json.loads(response.content))
        assert body["source"]["status"] == expect_status
        assert body["ssd_assessment_factors"]["cinf_assessment_factors_json"] == factors
        assert body["ssd_person"]["pers_common_child_id"] == VALID_NHS
        assert body["source"]["partnership"] == catalogue(slug).authority.partnership
        return body

    seen["draft"] = export_as(people.alice, "draft")
    d = referral_services.submit(actor(people.alice), d)
    seen["submitted"] = export_as(people.lead, "submitted")
    assert export_as(people.alice, "submitted")["source"] == seen["submitted"]["source"]  # the author too
    d = referral_services.return_to_practitioner(actor(people.lead), d, "Say more about school")
    seen["returned"] = export_as(people.lead, "returned")
    d = referral_services.save(actor(people.alice), d, {"child_voice": "Says more now."}, d.revision)
    d = referral_services.submit(actor(people.alice), d)
    assert export_as(people.lead, "submitted")["source"]["submission"] == 2
    d = referral_services.approve(actor(people.lead), d)
    seen["approved"] = export_as(people.lead, "approved")
    d = referral_services.mark_sent(actor(people.alice), d, datetime(2026, 1, 6, 12, 0).astimezone(), "Secure email",
                                    "REF-1")
    seen["sent"] = export_as(people.alice, "sent")
    d = referral_services.record_decision(actor(people.lead), d, "early_help", date(2026, 1, 7),
                                          "Early help offered by the family hub")
    seen["decided"] = export_as(people.lead, "decided")

    assert seen["draft"] == seen["returned"] == 302  # nothing frozen to export: sent back to the page
    approved = d.submissions.get(number=2)
    for state in ("approved", "sent", "decided"):  # always the approved submission
        assert (seen[state]["source"]["submission"], seen[state]["source"]["content_hash"]) == \
            (2, approved.content_hash)
    assert seen["approved"]["source"]["approved_at"] is not None
    assert seen["approved"]["ssd_contacts"]["cont_contact_date"] is None  # not yet received by the front door
    assert seen["sent"]["ssd_contacts"]["cont_contact_date"].startswith("2026-01-06")
    assert set(seen["sent"]["ssd_contacts"]["cont_contact_outcome_json"].values()) == {""}  # not decided yet
    decision = seen["decided"]["extensions"]["front_door_decision"]
    assert (decision["outcome"], decision["decided_on"], decision["notes"]) == (
        "early_help", "2026-01-07", "Early help offered by the family hub")
    flags = seen["decided"]["ssd_contacts"]["cont_contact_outcome_json"]
    assert {k for k, v in flags.items() if v == "Y"} == {"OTHER_OUTCOMES_EXIST_FLAG"}
    assert set(seen["decided"]["ssd_cin_episodes"]["cine_referral_outcome_json"].values()) == {"N"}


def test_the_ticks_exported_carry_census_codes_in_every_partnership():
    """So the walk above checks real factors, not an empty list by chance."""
    for slug in SLUGS:
        codes = {i.id: i.codes for i in catalogue(slug).indicators}
        assert any(codes[t] for t in _coded_ticks(slug)), slug


def test_the_export_is_the_frozen_submission_not_the_live_draft(people, client):
    d = referral_services.submit(actor(people.alice), _draft(people, "sefton"))
    Draft.objects.filter(pk=d.pk).update(child_name="Changed Afterwards")  # as if the live row had drifted
    body = json.loads(_export(client, people.lead, d).content)
    assert body["extensions"]["person"]["name_as_written"] == "Test Child"


def test_the_referral_source_follows_the_organisation(people, client):
    people.school.is_school = True
    people.school.save()
    d = referral_services.submit(actor(people.alice), _draft(people, "knowsley"))
    body = json.loads(_export(client, people.lead, d).content)
    assert body["ssd_contacts"]["cont_contact_source_code"] == "2A"
    assert body["ssd_contacts"]["cont_contact_source_desc"] == people.school.name


def test_only_the_author_and_their_lead_can_download_it(people, access):
    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    url = reverse("draft-national", args=[d.pk]) + "?purpose=record"
    assert access("get", url) == {"colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 404,
                                  "admin": 404, "anonymous": "sign-in", "owner": 200}
    assert access("post", url, who=["owner"]) == {"owner": 405}


def test_it_downloads_as_an_attachment_never_cached(people, client):
    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    response = _export(client, people.lead, d)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="referral-{d.pk}-national.json"'
    assert "no-store" in response["Cache-Control"]


def test_a_download_is_audited_with_its_purpose_and_a_refusal_with_its_reason(people, client):
    d = ready_draft(people.alice, people.sefton, child_name="Zebedee Unique-Name")
    _export(client, people.alice, d)
    d = referral_services.submit(actor(people.alice), d)
    _export(client, people.lead, d, purpose="record")
    client.get(reverse("draft-national", args=[d.pk]))  # no purpose
    events = AuditEvent.objects.filter(action__startswith="draft.export_national").order_by("id")
    assert [(e.action, e.purpose, e.actor) for e in events] == [
        ("draft.export_national_refused", "not_submitted", people.alice),
        ("draft.export_national", "record", people.lead),
        ("draft.export_national_refused", "no_purpose", people.lead),
    ]
    assert all(e.object_id == str(d.pk) and e.organisation == people.school for e in events)
    assert "Zebedee" not in json.dumps([[e.purpose, e.detail] for e in events])


def test_an_export_off_its_schema_is_a_logged_server_error_never_served(people, client, monkeypatch, caplog):
    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton,
                                                                  child_name="Zebedee Unique-Name"))
    real = national.build

    def off_schema(*args, **kwargs):
        export = real(*args, **kwargs)
        export["ssd_person"]["pers_common_child_id"] = export["extensions"]["person"]["name_as_written"]
        return export

    monkeypatch.setattr(national, "build", off_schema)
    with caplog.at_level(logging.ERROR, logger="referrals.views"):
        response = _export(client, people.lead, d)
    assert response.status_code == 500
    assert b"Zebedee" not in response.content and b"ssd_person" not in response.content
    logged = [r.getMessage() for r in caplog.records if r.name == "referrals.views"]
    assert len(logged) == 1 and "pers_common_child_id" in logged[0] and "Zebedee" not in logged[0]
    assert AuditEvent.objects.filter(action="draft.export_national_refused", purpose="invalid_export").count() == 1
    assert not AuditEvent.objects.filter(action="draft.export_national").exists()


def test_the_draft_page_offers_the_download_once_submitted_and_not_while_returned(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    assert b'data-testid="download-national"' not in client.get(reverse("draft-detail", args=[d.pk])).content
    d = referral_services.submit(actor(people.alice), d)
    for user in (people.alice, people.lead):
        client.force_login(user)
        page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
        assert 'data-testid="download-national"' in page and reverse("draft-national", args=[d.pk]) in page
        assert "Download in national (SSD) terms (JSON)" in page
    referral_services.return_to_practitioner(actor(people.lead), d, "More detail")
    assert b'data-testid="download-national"' not in client.get(reverse("draft-detail", args=[d.pk])).content
