"""The practitioner's draft page, nothing typed twice and a safe end (issue 16): household members at the
child's address, the referrer from their details, the worries from the ticks, one strengths section, the
consent follow-ups only when relevant, danger carried in as a phone-now step, the buttons at the end of
the form with a live pre-submission check, and "Continue draft N" on the assessment page."""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services as assessment_services
from authorities.models import AuditEvent, Profile
from catalogues.models import CatalogueVersion
from referrals import record, services
from referrals.models import Draft, Submission
from tests.factories import PHONED, READY, actor, assessment, plain, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db


def _post(draft: Draft, **over) -> dict:
    """What the page posts for a ready draft (its fields as they are), with `over` changed."""
    data = {"revision": draft.revision, "child_name": draft.child_name, "chosen_level": draft.chosen_level,
            "child_voice": draft.child_voice, "referrer_phone": draft.referrer_phone, "address": draft.address,
            "parents_aware": draft.parents_aware, "consent": draft.consent,
            "household-0-name": draft.household[0]["name"]}
    return data | over


def _pdf_text(content: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def _danger_assessment(user, authority, *, immediate: bool = False):
    """An assessment whose ticks include a child-protection concern (or an immediate-danger item)."""
    catalogue = CatalogueVersion.objects.current_for_slug(authority.slug).catalogue
    found = next(i.id for i in catalogue.indicators if not i.retired and (
        i.immediate_danger if immediate else (i.child_protection and i.child_protection.decisive
                                              and not i.immediate_danger)))
    a = assessment(user, authority, level=2, n=1)
    assessment_services.save_ticks(actor(user), a, a.ticks + [found])
    return a


# --- 1. household members at the child's address ----------------------------------------------------

def test_a_household_member_at_the_childs_address_shows_that_address_and_old_rows_keep_theirs(people, login):
    d = ready_draft(people.alice, people.sefton, address="1 Fictional Road, Testtown")
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    page = html(client.get(url).content.decode())
    # A saved row from before the box existed is unticked (its own address); a new row starts ticked.
    assert "checked" not in page.find(id="id_household-0-same_address").attrs
    assert "checked" in page.find(id="id_household-1-same_address").attrs
    data = _post(d, **{"household-0-same_address": "on", "household-1-name": "Grandparent Testperson",
                       "household-1-address": "9 Elsewhere Lane", "household-2-same_address": "on"})
    assert client.post(url, data).status_code == 302
    d.refresh_from_db()
    # The blank third row (its box ticked by default) is not a person.
    assert [(r["name"], r.get("same_address")) for r in d.household] == [
        ("Parent Testperson", True), ("Grandparent Testperson", None)]
    shown = services.current_record(d)["household"]
    assert shown[0]["address"] == "1 Fictional Road, Testtown" and shown[0]["same_address"]
    assert shown[1]["address"] == "9 Elsewhere Lane" and not shown[1]["same_address"]
    # The PDF the front door reads has the address itself.
    pdf = _pdf_text(client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content)
    assert "1 Fictional Road, Testtown (the child's address)" in pdf and "9 Elsewhere Lane" in pdf


# --- 2. the referrer and the school from their details -----------------------------------------------

def test_a_new_draft_starts_with_the_referrers_details_and_their_school(people):
    people.school.is_school = True
    people.school.save()
    Profile.objects.create(user=people.alice, job_title="Year 4 teacher", phone="01234 567890")
    d = services.create_from_assessment(actor(people.alice), assessment(people.alice, people.sefton))
    assert (d.referrer_role, d.referrer_phone, d.referrer_organisation, d.school) == (
        "Year 4 teacher", "01234 567890", people.school.name, people.school.name)


def test_without_details_the_role_is_blank_not_a_meaningless_default_and_no_school_is_guessed(people):
    d = services.create_from_assessment(actor(people.bob), assessment(people.bob, people.sefton))
    assert (d.referrer_role, d.referrer_phone, d.school) == ("", "", "")


def test_your_details_are_said_once_and_the_page_is_linked_from_the_draft_and_the_header(people, login):
    client = login(people.alice)
    d = ready_draft(people.alice, people.sefton)
    draft_url = reverse("draft-detail", args=[d.pk])
    page = html(client.get(draft_url).content.decode())
    link = page.find(data_testid="your-details-link").find("a").attrs["href"]
    assert link == f"{reverse('your-details')}?next={draft_url}"
    assert any(a.attrs.get("href") == reverse("your-details") for a in page.find_all("a"))  # the user bar
    response = client.post(reverse("your-details"), {"job_title": "Class teacher", "phone": "0151 000 0000",
                                                     "next": draft_url})
    assert response.status_code == 302 and response["Location"] == draft_url
    assert Profile.objects.values_list("job_title", "phone").get(user=people.alice) == ("Class teacher",
                                                                                       "0151 000 0000")
    assert AuditEvent.objects.filter(action="profile.update", actor=people.alice).count() == 1
    elsewhere = client.post(reverse("your-details"), {"job_title": "Class teacher", "phone": "0151 000 0000",
                                                      "next": "https://evil.example/"})
    assert elsewhere["Location"] == reverse("your-details")  # never sent off the site
    new = services.create_from_assessment(actor(people.alice), assessment(people.alice, people.sefton))
    assert (new.referrer_role, new.referrer_phone) == ("Class teacher", "0151 000 0000")


# --- 3. the worries start from the ticks --------------------------------------------------------------

def test_the_worries_start_from_the_ticked_concerns_in_the_guidances_words_grouped_by_area(people):
    a = assessment(people.alice, people.sefton, level=2, n=3)
    catalogue = a.catalogue_version.catalogue
    d = services.create_from_assessment(actor(people.alice), a)
    ticked = [i for i in catalogue.indicators if i.id in a.ticks]
    lines = d.worries.splitlines()
    for indicator in ticked:
        assert f"- {' '.join(indicator.text.split())}" in lines
        domain = next(x.name for x in catalogue.domains if x.id == indicator.domain)
        assert lines.index(f"{domain}:") < lines.index(f"- {' '.join(indicator.text.split())}")
    # What the practitioner typed is never overwritten: starting again continues the same draft.
    d = services.save(actor(people.alice), d, {"worries": "Arrives hungry; typed by me."}, d.revision)
    again = services.create_from_assessment(actor(people.alice), a)
    assert again.pk == d.pk and again.worries == "Arrives hungry; typed by me."


# --- 4. one strengths section ---------------------------------------------------------------------------

def test_one_strengths_section_worded_as_the_catalogue_words_it(people, login):
    client = login(people.alice)
    for authority in (people.sefton, people.halton):
        d = ready_draft(people.alice, authority)
        catalogue = d.catalogue_version.catalogue
        sos = record.uses_signs_of_safety(catalogue)
        label = "What is working well?" if sos else "Strengths and protective factors"
        page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
        assert page.count('name="strengths"') == 1 and "working_well" not in page
        assert html(page).find("label", for_="id_strengths").all_text() == label
        labels = [p["label"] for p in services.current_record(d)["narrative"]]
        assert labels.count(label) == 1
        assert not ({"What is working well?", "Strengths and protective factors"} - {label}) & set(labels)


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_what_is_working_well_into_strengths_so_nothing_is_lost(people):
    both = ready_draft(people.alice, people.sefton, strengths="Grandma helps every day.")
    only_old = ready_draft(people.alice, people.sefton, strengths="")
    executor = MigrationExecutor(connection)
    executor.migrate([("referrals", "0003_text_limits")])
    old = executor.loader.project_state([("referrals", "0003_text_limits")]).apps.get_model("referrals", "Draft")
    old.objects.filter(pk=both.pk).update(working_well="Goes to breakfast club.")
    old.objects.filter(pk=only_old.pk).update(working_well="Loves reading.")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Draft.objects.get(pk=both.pk).strengths == "Goes to breakfast club.\n\nGrandma helps every day."
    assert Draft.objects.get(pk=only_old.pk).strengths == "Loves reading."


def test_a_record_frozen_with_both_old_sections_still_renders_and_compares_as_one(people, login):
    d = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    frozen = d.submissions.get().record
    old = dict(frozen, narrative=[
        {"label": "What are we worried about?", "text": "Hungry"},
        {"label": "What is working well?", "text": "Breakfast club"},
        {"label": "What needs to happen?", "text": ""},
        {"label": "The child's voice and lived experience", "text": "Says so"},
        {"label": "Strengths and protective factors", "text": "Grandma"},
        {"label": "Support already tried and its effect", "text": ""},
        {"label": "Immediate risks", "text": ""}])
    old.pop("phone_call")
    Submission.objects.filter(pk=d.submissions.get().pk).delete()
    Submission.objects.create(draft=d, number=1, submitted_by=people.alice, record=old,
                              content_hash=record.content_hash(old))
    page = login(people.alice).get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Breakfast club" in page and "Grandma" in page
    new = dict(old, narrative=services.current_record(d)["narrative"])
    new["narrative"] = [dict(p, text={"worries": "Hungry", "strengths": "Breakfast club\n\nGrandma",
                                      "child_voice": "Says so"}.get(p["key"], "")) for p in new["narrative"]]
    assert [c["what"] for c in record.changes(old, new)] == []  # joined as the migration joins them


# --- 5. consent follow-ups only when relevant -------------------------------------------------------------

def test_the_consent_follow_ups_sit_under_no_as_conditional_content_shown_without_javascript(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    no = page.find(id="id_consent_2")
    assert no.attrs["value"] == "no"
    follow_up = page.find(id="conditional-consent-no")
    # Right after "No", in GOV.UK's conditional look; never hidden by the server (shown with JavaScript off).
    assert no.ancestor("div").parent.children.index(follow_up) == 3
    assert {"govuk-radios__conditional", "app-consent-no"} <= follow_up.classes()
    assert "govuk-radios__conditional--hidden" not in follow_up.classes()
    assert follow_up.find(id="id_consent_agreed_by") and follow_up.find(id="id_consent_no_0")
    assert page.find(data_testid="consent-ground").find(id="id_consent_ground")


def test_without_javascript_no_and_refused_is_saved_as_refused_and_shown_under_no_again(people, login):
    d = ready_draft(people.alice, people.halton, level=4)
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    ground = d.catalogue_version.catalogue.levels[3].consent.lawful_ground_ids[0]
    response = client.post(url, _post(d, consent="no", consent_no="refused", consent_ground=ground,
                                      consent_agreed_by="Lee Placeholder"))
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.consent, d.consent_ground, d.consent_agreed_by) == ("refused", ground, "Lee Placeholder")
    page = html(client.get(url).content.decode())
    assert "checked" in page.find(id="id_consent_2").attrs and "checked" in page.find(id="id_consent_no_0").attrs
    # "No" alone does not say which: asked, nothing saved.
    d.refresh_from_db()
    refused = client.post(url, _post(d, consent="no"))
    assert refused.status_code == 400 and "Say whether they refused or you have not asked them" in \
        refused.content.decode()


def test_an_answer_left_under_no_is_not_checked_or_printed_once_consent_is_given(people):
    d = ready_draft(people.alice, people.sefton, consent_agreed_by="Someone")
    wrong_here = next(g.id for g in d.catalogue_version.catalogue.consent_grounds
                      if g.id not in d.catalogue_version.catalogue.levels[1].consent.lawful_ground_ids)
    d = services.save(actor(people.alice), d, {"consent_ground": wrong_here}, d.revision)
    assert d.consent == "explicit" and d.parents_aware == "yes"
    assert not [p for p in services.problems(d) if p.place == "consent_ground"]
    shown = services.current_record(d)["consent"]
    assert (shown["ground"], shown["agreed_by"]) == ("", "")
    refused = services.save(actor(people.alice), d, {"consent": "not_sought"}, d.revision)
    assert [p for p in services.problems(refused) if p.place == "consent_ground"]


# --- 6. danger carried into the draft --------------------------------------------------------------------

def test_a_child_protection_draft_shows_phone_now_first_with_dialable_numbers(people, login):
    d = services.create_from_assessment(actor(people.alice), _danger_assessment(people.alice, people.sefton))
    page = login(people.alice).get(reverse("draft-detail", args=[d.pk])).content.decode()
    step = html(page).find(data_testid="phone-now")
    assert page.index('data-testid="phone-now"') < page.index("Level of need")
    assert any(a.attrs["href"].startswith("tel:") for a in step.find_all("a"))
    assert step.find(id="id_phone_call_with") and step.find(id="id_phone_call_at")
    assert step.find(id="id_phone_call_outcome")
    plain_draft = ready_draft(people.alice, people.sefton)
    page = login(people.alice).get(reverse("draft-detail", args=[plain_draft.pk])).content.decode()
    assert 'data-testid="phone-now"' not in page and "phone_call_with" not in page


def test_submitting_a_danger_draft_without_the_call_is_refused_saying_phone_now(people, login):
    d = services.create_from_assessment(actor(people.alice),
                                        _danger_assessment(people.alice, people.sefton, immediate=True))
    d = services.save(actor(people.alice), d, READY | {"chosen_level": 4, "consent": "not_sought",
                                                       "consent_ground": _a_ground(d)}, d.revision)
    client = login(people.alice)
    response = client.post(reverse("draft-submit", args=[d.pk]))
    body = " ".join(response.content.decode().split())
    assert response.status_code == 400 and "phone" in body and "Do not wait for your safeguarding lead" in body
    assert 'href="#id_phone_call_with"' in body
    assert Draft.objects.get(pk=d.pk).status == "draft"
    # Recorded through the form (a time today), it goes.
    d.refresh_from_db()
    called = timezone.localtime() - timedelta(minutes=5)
    response = client.post(reverse("draft-submit", args=[d.pk]), _post(
        d, consent="no", consent_no="not_sought", consent_ground=d.consent_ground, chosen_level=4,
        phone_call_with="Jo Duty, Integrated Front Door", phone_call_at=f"{called:%H:%M}",
        phone_call_outcome="Police attending; refer in writing today"))
    assert response.status_code == 302, response.content.decode()[:3000]
    d.refresh_from_db()
    assert d.status == "submitted" and d.phone_call_at is not None
    frozen = d.submissions.get().record["phone_call"]
    assert frozen["needed"] and frozen["with"] == "Jo Duty, Integrated Front Door"
    assert frozen["outcome"] == "Police attending; refer in writing today" and frozen["at"]
    pdf = _pdf_text(client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content)
    assert "Phoned before the review" in pdf and "Jo Duty, Integrated Front Door" in pdf
    # The lead's queue says the call was made.
    client.force_login(people.lead)
    row = client.get(reverse("review-queue")).content.decode().split('data-testid="queue-phoned"')[1]
    assert row.split("</td>")[0].strip(">").startswith("Yes: Jo Duty, Integrated Front Door at ")


def _a_ground(d: Draft) -> str:
    return d.catalogue_version.catalogue.levels[-1].consent.lawful_ground_ids[0]


def test_the_queue_says_when_a_record_from_before_the_step_does_not_say(people, client):
    d = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    client.force_login(people.lead)
    cell = client.get(reverse("review-queue")).content.decode().split('data-testid="queue-phoned"')[1]
    assert cell.split("</td>")[0].endswith("Not needed")
    sub = d.submissions.get()
    old = {k: v for k, v in sub.record.items() if k != "phone_call"}
    sub.delete()
    Submission.objects.create(draft=d, number=1, submitted_by=people.alice, record=old,
                              content_hash=record.content_hash(old))
    cell = client.get(reverse("review-queue")).content.decode().split('data-testid="queue-phoned"')[1]
    assert cell.split("</td>")[0].endswith("Not asked when submitted")


def test_the_time_of_the_call_is_read_as_a_time_today_or_a_date_and_time(people, login):
    a = _danger_assessment(people.alice, people.sefton)
    d = services.create_from_assessment(actor(people.alice), a)
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    d = services.save(actor(people.alice), d, READY, d.revision)
    response = client.post(url, _post(d, phone_call_at="3/1/2026 14:05"))
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.phone_call_at is not None
    local = timezone.localtime(d.phone_call_at)
    assert (local.day, local.month, local.year, local.hour, local.minute) == (3, 1, 2026, 14, 5)
    bad = client.post(url, _post(d, phone_call_at="teatime"))
    assert bad.status_code == 400 and "Enter the time you phoned" in bad.content.decode()


def test_a_ready_draft_from_the_factories_records_the_call_it_needs(people):
    d = services.create_from_assessment(actor(people.alice), _danger_assessment(people.alice, people.sefton))
    d = services.save(actor(people.alice), d, READY | PHONED | {"chosen_level": 4, "consent": "not_sought",
                                                                "consent_ground": _a_ground(d)}, d.revision)
    assert not [p for p in services.problems(d) if p.blocking]


# --- 7. the end of the form, and the live check -----------------------------------------------------------

def test_save_print_and_submit_are_at_the_end_of_the_form_too_without_duplicate_ids(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    body = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    page = html(body)
    form = page.find("form", id="draft-form")
    end = form.find(data_testid="form-end-buttons")
    assert [b.all_text() for b in end.find_all("button")][:3] == [
        "Save draft", "Save and download PDF", "Save and submit to my safeguarding lead"]
    assert end.find_all("button")[1].attrs["formaction"] == reverse("draft-pdf", args=[d.pk])
    assert end.find_all("button")[2].attrs["formaction"] == reverse("draft-submit", args=[d.pk])
    assert form.find(id="id_end_purpose_0").attrs["name"] == "purpose"
    ids = Counter(e.attrs["id"] for e in page.iter() if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    # The end's buttons post the whole form: what was typed is saved, then the PDF comes.
    response = client.post(reverse("draft-pdf", args=[d.pk]), _post(d, purpose="send", gp="Typed at the end"))
    assert response["Content-Type"] == "application/pdf"
    assert Draft.objects.get(pk=d.pk).gp == "Typed at the end"


def test_the_autosave_updates_before_it_is_ready_out_of_band(people, login):
    d = services.create_from_assessment(actor(people.alice), assessment(people.alice, people.sefton))
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    data = {"revision": d.revision, "child_name": "Test Child", "chosen_level": d.chosen_level}
    body = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    check = html(body).find(id="ready-check")
    assert check.attrs["hx-swap-oob"] == "true"
    assert "Describe the child's voice" in check.all_text()
    d.refresh_from_db()
    body = client.post(url, data | {"revision": d.revision, "child_voice": "Says she is hungry"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "Describe the child's voice" not in html(body).find(id="ready-check").all_text()


# --- 8. continue the draft being written --------------------------------------------------------------------

def test_the_assessment_page_offers_to_continue_the_draft_being_written(people, login):
    a = assessment(people.alice, people.sefton)
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    page = client.get(url).content.decode()
    assert "Start a referral draft" in page and 'data-testid="continue-draft"' not in page
    d = services.create_from_assessment(actor(people.alice), a)
    link = html(client.get(url).content.decode()).find(data_testid="continue-draft")
    assert link.all_text() == f"Continue draft {d.pk}" and link.attrs["href"] == reverse("draft-detail", args=[d.pk])
    services.submit(actor(people.alice), services.save(actor(people.alice), d, READY, d.revision))
    assert "Start a referral draft" in client.get(url).content.decode()  # submitted: nothing to continue


def test_plain_ticks_of_a_level_make_a_short_worries_list(people):
    catalogue = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    ticks = plain(catalogue, 2, 2)
    text = record.worries_from_ticks(catalogue, ticks)
    assert len([x for x in text.splitlines() if x.startswith("- ")]) == 2
    assert record.worries_from_ticks(catalogue, []) == ""
    many = record.worries_from_ticks(catalogue, [i.id for i in catalogue.indicators])
    assert len(many) <= record.WORRIES_LIMIT + 100 and "more concerns ticked" in many
