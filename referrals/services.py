"""Writes for referral drafts: create, save (with a version check), the review workflow, printing.

Every change runs in a transaction and records both the draft's history (``DraftEvent``) and an
audit event. Who may act is decided by the named rules; what a status allows is decided here, on
the locked row, so no view (and no race between two requests) can skip it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import suggestion_for
from authorities import audit, background, rules
from authorities.actor import Actor
from authorities.models import Membership, Role
from authorities.services import profile_of
from authorities.tasks import send_email
from core.errors import NotAllowed, Problem
from core.pdf import TooManyPages, render_pdf

from . import checks, national, record
from .models import (
    REVIEW_FIELDS,
    Closure,
    Draft,
    DraftEvent,
    FrontDoorOutcome,
    PreparedPdf,
    Status,
    Submission,
)


class ConflictError(Exception):
    """The draft changed since the editor loaded it."""

    def __init__(self, current: Draft):
        self.current = current
        super().__init__("the draft was changed by someone else")


class NotReady(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


EDITABLE = {Status.DRAFT, Status.RETURNED}
TEXT_FIELDS = [
    "child_name", "address", "school", "gp", "language_needs", "disability",
    "referrer_name", "referrer_role", "referrer_organisation", "referrer_phone", "referrer_email",
    "worries", "strengths", "needs_to_happen", "child_voice", "support_tried",
    "immediate_risks", "level_reason", "parents_aware", "consent", "consent_ground", "consent_agreed_by",
    "phone_call_with", "phone_call_outcome",
]
FIELDS = [*TEXT_FIELDS, "date_of_birth", "due_date", "chosen_level", "household", "professionals", "phone_call_at",
          "nhs_number", "nhs_number_unknown"]


def _record(actor: Actor, draft: Draft, action: str, *, comment: str = "", from_status: str = "",
            role: str | None = None, submission: Submission | None = None, detail: dict | None = None) -> None:
    """`detail`: codes only (a closure's kind, a decision's outcome), never words about the child."""
    detail = ({"submission": submission.number, "hash": submission.content_hash} if submission else {}) | (detail or {})
    audit.record(actor, f"draft.{action}", draft, organisation=draft.organisation, role=role, detail=detail or None)
    if action != "save":  # the history holds creation and transitions; every save is in the audit trail
        DraftEvent.objects.create(draft=draft, actor=actor.person, action=action, from_status=from_status,
                                  to_status=draft.status, comment=comment, submission=submission)


def facts(draft: Draft, suggestion=None) -> checks.DraftFacts:
    """The draft's facts for the checks; pass the assessment's suggestion if the caller has it."""
    suggestion = suggestion or suggestion_for(draft.assessment)
    return checks.DraftFacts(
        chosen_level=draft.chosen_level,
        suggested_level=draft.assessment.suggested_level,
        level_reason=draft.level_reason,
        parents_aware=draft.parents_aware,
        consent=draft.consent,
        consent_ground=draft.consent_ground,
        consent_agreed_by=draft.consent_agreed_by,
        child_name=draft.child_name,
        child_voice=draft.child_voice,
        household=draft.household,
        referrer_phone=draft.referrer_phone,
        referrer_email=draft.referrer_email,
        consultation=draft.assessment.mode == "consultation",
        child_protection=suggestion.child_protection,
        immediate_danger=suggestion.immediate_danger,
        phone_call_with=draft.phone_call_with,
        phone_call_made=draft.phone_call_at is not None,
        phone_call_outcome=draft.phone_call_outcome,
        phone_to=(suggestion.contacts[0].contact.name if suggestion.contacts else ""),
    )


def problems(draft: Draft, suggestion=None) -> list[Problem]:
    return checks.pre_submission_problems(draft.catalogue_version.catalogue, facts(draft, suggestion))


def open_draft_for(actor: Actor, assessment) -> Draft | None:
    """The person's draft from this assessment that is still being written, if there is one."""
    return Draft.objects.for_user(actor).filter(assessment=assessment, owner_id=actor.pk,
                                                status__in=EDITABLE).order_by("-updated_at").first()


def create_from_assessment(actor: Actor, assessment) -> Draft:
    """A new draft from the assessment; or, if one from it is still being written, that one (never a
    second blank draft beside work in progress)."""
    seat = actor.primary
    if seat is None or not rules.can_edit(actor, assessment):
        raise NotAllowed("Only the practitioner who made the assessment can turn it into a draft.")
    existing = open_draft_for(actor, assessment)
    if existing is not None:
        return existing
    user = actor.person
    suggestion = suggestion_for(assessment)
    # Nothing typed twice: the referrer from their details (said once), a school's pupil at that school,
    # and the worries starting from the concerns ticked, in the guidance's words.
    profile = profile_of(user)
    organisation = seat.organisation
    catalogue = assessment.catalogue_version.catalogue
    with transaction.atomic():
        draft = Draft.objects.create(
            assessment=assessment, owner=user, organisation=assessment.organisation,
            child_name=assessment.child_name, date_of_birth=assessment.date_of_birth,
            due_date=assessment.due_date,
            school=organisation.name if organisation.is_school and assessment.mode != "consultation" else "",
            referrer_name=user.get_full_name(), referrer_organisation=organisation.name,
            referrer_role=profile.job_title, referrer_phone=profile.phone, referrer_email=user.email,
            worries=record.worries_from_ticks(catalogue, assessment.ticks),
            chosen_level=assessment.chosen_level or suggestion.level_number,
            level_reason=assessment.chosen_reason,
        )
        _record(actor, draft, "create")
    return draft


def save(actor: Actor, draft: Draft, data: dict, expected_revision: int) -> Draft:
    """Save edits if nobody else saved since `expected_revision`; otherwise raise ConflictError."""
    if not rules.can_edit(actor, draft):
        raise NotAllowed("Only the practitioner who wrote this draft can change it.")
    values = {k: data[k] for k in FIELDS if k in data}
    with transaction.atomic():
        updated = Draft.objects.filter(pk=draft.pk, revision=expected_revision, status__in=EDITABLE).update(
            **values, revision=models.F("revision") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Draft.objects.select_related("assessment__catalogue_version__authority").get(pk=draft.pk)
            if current.status not in EDITABLE:
                raise NotAllowed(f"This draft is {current.get_status_display().lower()} and can no longer be "
                                 "changed.")
            if all(getattr(current, k) == v for k, v in values.items()):
                return current  # the same words, saved a moment ago (an autosave that crossed): nothing to lose
            raise ConflictError(current)
        draft.refresh_from_db()
        _record(actor, draft, "save")
    return draft


def _transition(actor: Actor, draft: Draft, allowed_from: set[Status], to: Status, action: str, *, comment: str = "",
                role: str | None = None, expected_revision: int | None = None,
                check: Callable[[Draft], None] | None = None,
                effect: Callable[[Draft], Submission | None] | None = None, detail: dict | None = None,
                **changes) -> Draft:
    """Move the draft to `to` on the locked row: its status, the revision the person saw, and any
    `check` (the blocking problems) are decided there, so two requests cannot both pass; `effect`
    (freezing or reviewing the submission) happens in the same transaction."""
    with transaction.atomic():
        locked = (Draft.objects.select_for_update(of=("self",))
                  .select_related("assessment__catalogue_version__authority").get(pk=draft.pk))
        if locked.status not in allowed_from:
            raise NotAllowed(f"This draft is {locked.get_status_display().lower()}: it cannot be {action}.")
        if expected_revision is not None and locked.revision != expected_revision:
            raise ConflictError(locked)
        if check is not None:
            check(locked)
        before = locked.status
        locked.status = to
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.revision += 1
        locked.save()
        submission = effect(locked) if effect is not None else None
        _record(actor, locked, action, comment=comment, from_status=before, role=role, submission=submission,
                detail=detail)
    return locked


def _no_blocking_problems(draft: Draft) -> None:
    blocking = [p for p in problems(draft) if p.blocking]
    if blocking:
        raise NotReady(blocking)


# Read-only and printable as frozen: what was submitted (or closed without a referral) is what prints.
FROZEN = {Status.SUBMITTED, Status.APPROVED, Status.SENT, Status.DECIDED, Status.CLOSED}


def current_record(draft: Draft, suggestion=None) -> dict:
    """The referral as it would print now, from the live draft and its assessment."""
    assessment = draft.assessment
    return record.build(draft, catalogue=assessment.catalogue_version.catalogue,
                        version_number=assessment.catalogue_version.number,
                        suggestion=suggestion or suggestion_for(assessment), ticks=assessment.ticks,
                        unborn=assessment.unborn)


def latest_submission(draft: Draft) -> Submission | None:
    return draft.submissions.order_by("-number").first()


def printable(draft: Draft, suggestion=None, submission: Submission | None = None) -> tuple[dict, str, str]:
    """What a print of the draft shows: the record, the status line on every page, and the record's hash.
    Once submitted, the print is the frozen submission (pass it if the caller has it), whatever the live
    draft says."""
    if draft.status in FROZEN and submission is None:
        submission = latest_submission(draft)
    if submission is None:
        live = current_record(draft, suggestion)
        state = "RETURNED WITH COMMENTS — NOT APPROVED" if draft.status == Status.RETURNED else "DRAFT — NOT APPROVED"
        return live, state, record.content_hash(live)
    reviewed = f"{submission.reviewed_at:%-d %B %Y}" if submission.reviewed_at else ""
    reviewer = submission.reviewed_by
    by = (reviewer.get_full_name() or reviewer.username) if reviewer is not None else ""
    if draft.status == Status.SUBMITTED:
        state = f"SUBMITTED FOR REVIEW {submission.submitted_at:%-d %B %Y} — NOT YET APPROVED"
    elif draft.status == Status.CLOSED:
        closer = draft.closed_by or reviewer
        closed_by = (closer.get_full_name() or closer.username) if closer is not None else ""
        closed_on = f"{timezone.localtime(draft.closed_at):%-d %B %Y}" if draft.closed_at else reviewed
        state = f"CLOSED WITHOUT A REFERRAL BY {closed_by} ON {closed_on} — NOT SENT TO THE FRONT DOOR"
    elif draft.status == Status.APPROVED:
        state = f"APPROVED BY {by} ON {reviewed}"
    else:
        sent = f"{draft.sent_at:%-d %B %Y}" if draft.sent_at else ""
        state = f"SENT ON {sent} · APPROVED BY {by} ON {reviewed}"
    return submission.record, state.upper(), submission.content_hash


def changes_since_returned(submission: Submission | None) -> list[dict[str, str]]:
    """What differs from the submission before it, when that one was returned (a resubmission)."""
    if submission is None or submission.number < 2:
        return []
    previous = submission.draft.submissions.filter(number=submission.number - 1,
                                                   outcome=Submission.Outcome.RETURNED).first()
    return record.changes(previous.record, submission.record) if previous else []


def _freeze(actor: Actor, closing: Callable[[Draft], None] | None = None) -> Callable[[Draft], Submission]:
    """At submission: freeze the record and make the assessment behind it read-only.

    `closing`: a lead closing their own concern without a referral. The record is frozen the same way, but
    nothing goes to the front door, so the pre-submission checks do not block it: `closing` checks the
    closure instead (with the assessment as it is frozen), and the submission is reviewed by them, closed."""
    def effect(draft: Draft) -> Submission:
        # Lock the assessment row first, so a tick saved a moment ago is either in the record or refused.
        draft.assessment = Assessment.objects.select_for_update(of=("self",)) \
            .select_related("catalogue_version__authority").get(pk=draft.assessment.pk)
        Assessment.objects.filter(pk=draft.assessment.pk).update(locked=True)
        if closing is None:
            _no_blocking_problems(draft)  # again, with the assessment as it is frozen
        else:
            closing(draft)
        frozen = current_record(draft)
        number = draft.submissions.count() + 1
        review = {"outcome": Submission.Outcome.CLOSED, "reviewed_by": actor.person,
                  "reviewed_at": timezone.now()} if closing is not None else {}
        level = frozen.get("level") or {}
        return Submission.objects.create(draft=draft, number=number, submitted_by=actor.person, record=frozen,
                                         content_hash=record.content_hash(frozen), **review,
                                         urgent=bool(level.get("child_protection") or level.get("immediate_danger")))
    return effect


def _review(actor: Actor, outcome: str, expected_hash: str | None, lead_level: int | None = None,
            lead_level_reason: str = "") -> Callable[[Draft], Submission]:
    """Record the lead's review on the submission they saw (by its hash); a newer one is a conflict."""
    def effect(draft: Draft) -> Submission:
        submission = draft.submissions.select_for_update().order_by("-number").first()
        if submission is None or submission.outcome:
            raise NotAllowed("There is no submission waiting for review.")
        if expected_hash is not None and expected_hash != submission.content_hash:
            raise ConflictError(draft)
        submission.outcome, submission.reviewed_by, submission.reviewed_at = outcome, actor.person, timezone.now()
        if lead_level is not None and lead_level != draft.chosen_level:
            submission.lead_level, submission.lead_level_reason = lead_level, lead_level_reason.strip()
        submission.save(update_fields=REVIEW_FIELDS)
        if outcome == Submission.Outcome.RETURNED:
            others = Draft.objects.filter(assessment=draft.assessment, status__in=FROZEN).exclude(pk=draft.pk)
            if not others.exists():
                Assessment.objects.filter(pk=draft.assessment.pk).update(locked=False)
        return submission
    return effect


def submit(actor: Actor, draft: Draft, expected_revision: int | None = None) -> Draft:
    if not rules.can_edit(actor, draft):
        raise NotAllowed("Only the practitioner who wrote this draft can submit it.")
    draft = _transition(actor, draft, EDITABLE, Status.SUBMITTED, "submitted", expected_revision=expected_revision,
                        check=_no_blocking_problems, effect=_freeze(actor), submitted_at=timezone.now())
    leads = Membership.objects.filter(organisation=draft.organisation, role=Role.SAFEGUARDING_LEAD)
    _notify([m.user.email for m in leads.select_related("user").exclude(user=actor.person)],
            "A referral draft is waiting for your review", draft)
    return draft


def _require_reviewer(actor: Actor, draft: Draft) -> str:
    if not rules.leads(actor, draft.organisation_id):
        raise NotAllowed("Only a safeguarding lead of this organisation can review this draft.")
    if not rules.can_review(actor, draft):
        # Review means a second person: another safeguarding lead of the organisation reviews it.
        raise NotAllowed("You wrote this draft, so another safeguarding lead of your organisation must review it.")
    return Role.SAFEGUARDING_LEAD


def approve(actor: Actor, draft: Draft, comment: str = "", expected_revision: int | None = None,
            expected_hash: str | None = None, lead_level: int | None = None, lead_level_reason: str = "") -> Draft:
    """Approve the submission the lead reviewed (`expected_hash`: the one on their page)."""
    role = _require_reviewer(actor, draft)
    draft = _transition(actor, draft, {Status.SUBMITTED}, Status.APPROVED, "approved", comment=comment, role=role,
                        expected_revision=expected_revision, check=_no_blocking_problems,
                        effect=_review(actor, Submission.Outcome.APPROVED, expected_hash, lead_level,
                                       lead_level_reason))
    _notify([draft.owner.email], "Your referral draft was approved", draft)
    return draft


def return_to_practitioner(actor: Actor, draft: Draft, comment: str, expected_revision: int | None = None,
                           expected_hash: str | None = None, lead_level: int | None = None,
                           lead_level_reason: str = "") -> Draft:
    role = _require_reviewer(actor, draft)
    if not comment.strip():
        raise NotAllowed("Say what needs to change before returning the draft.")
    draft = _transition(actor, draft, {Status.SUBMITTED}, Status.RETURNED, "returned", comment=comment, role=role,
                        expected_revision=expected_revision,
                        effect=_review(actor, Submission.Outcome.RETURNED, expected_hash, lead_level,
                                       lead_level_reason))
    _notify([draft.owner.email], "Your referral draft was returned with comments", draft)
    return draft


def _closure_check(closure: str, reason: str, advice_from: str, advice_on, advice_said: str,
                   confirmed: bool) -> Callable[[Draft], None]:
    """The closure's own checks, on the locked draft with its assessment as frozen: a child-protection
    concern (or immediate danger) in the ticks needs the lead's explicit confirmation."""
    def check(draft: Draft) -> None:
        suggestion = suggestion_for(draft.assessment)
        found = checks.closure_problems(checks.ClosureFacts(
            closure=closure, reason=reason, advice_from=advice_from, advice_on=advice_on, advice_said=advice_said,
            child_protection=suggestion.child_protection or suggestion.immediate_danger, confirmed=confirmed),
            timezone.localdate())
        if found:
            raise NotAllowed(" ".join(f"{p.message}." for p in found))
    return check


def close(actor: Actor, draft: Draft, *, closure: str, reason: str = "", single_agency_action: str = "",
          advice_from: str = "", advice_on=None, advice_said: str = "", confirm_child_protection: bool = False,
          expected_hash: str | None = None, expected_revision: int | None = None) -> Draft:
    """A safeguarding lead closes the concern without a referral: "no referral" with the reason, or advice
    sought from the front door (who, when, what they said); either with what the organisation will do itself.

    Two ways in. Reviewing someone else's submitted draft (the second person, as for approving): the
    submission they saw (`expected_hash`) is reviewed as closed. Or closing a concern they wrote themselves
    (a lead who assessed it directly), while it is a draft or returned: the record is frozen as submitting
    freezes it, without the pre-submission checks (nothing goes to the front door), and closed by them."""
    if not rules.can_close(actor, draft):
        raise NotAllowed("Only a safeguarding lead of this organisation can close a concern without a referral.")
    own = rules.is_owner(actor, draft)
    # Said first, from the draft as the person saw it; decided again on the locked row below.
    if own and draft.status == Status.SUBMITTED:
        raise NotAllowed("You submitted this draft for review, so another safeguarding lead of your "
                         "organisation must review it: they can close it without a referral.")
    if draft.status not in (EDITABLE if own else {Status.SUBMITTED}):
        raise NotAllowed(f"This draft is {draft.get_status_display().lower()}: it cannot be closed.")
    if closure not in Closure.values:
        raise NotAllowed("Choose whether you decided not to refer, or sought advice from the front door.")
    advice = closure == Closure.ADVICE
    check = _closure_check(closure, reason, advice_from, advice_on, advice_said, confirm_child_protection)
    changes: dict[str, Any] = {
        "closure": closure, "closure_reason": "" if advice else reason.strip(),
        "single_agency_action": single_agency_action.strip(),
        "advice_from": advice_from.strip() if advice else "", "advice_on": advice_on if advice else None,
        "advice_said": advice_said.strip() if advice else "",
        "closed_by": actor.person, "closed_at": timezone.now(),
    }
    role = Role.SAFEGUARDING_LEAD
    if own:
        return _transition(actor, draft, EDITABLE, Status.CLOSED, "closed", role=role,
                           expected_revision=expected_revision, effect=_freeze(actor, closing=check),
                           detail={"closure": closure}, **changes)
    review = _review(actor, Submission.Outcome.CLOSED, expected_hash)

    def effect(locked: Draft) -> Submission:
        check(locked)
        return review(locked)
    draft = _transition(actor, draft, {Status.SUBMITTED}, Status.CLOSED, "closed", role=role,
                        expected_revision=expected_revision, effect=effect, detail={"closure": closure}, **changes)
    _notify([draft.owner.email], "Your referral draft was closed without a referral", draft)
    return draft


def closure_of(draft: Draft) -> dict | None:
    """A closed draft's decision not to refer, as the page and the PDF show it (None unless closed)."""
    if draft.status != Status.CLOSED:
        return None
    closer = draft.closed_by
    return {
        "kind": draft.get_closure_display(), "advice": draft.closure == Closure.ADVICE,
        "reason": draft.closure_reason, "single_agency_action": draft.single_agency_action,
        "advice_from": draft.advice_from, "advice_on": draft.advice_on, "advice_said": draft.advice_said,
        "by": (closer.get_full_name() or closer.username) if closer is not None else "",
        "at": draft.closed_at,
    }


def mark_sent(actor: Actor, draft: Draft, sent_at, how: str, reference: str) -> Draft:
    if not rules.can_record_outcome(actor, draft):
        raise NotAllowed("Only the practitioner or their safeguarding lead can record that the draft was sent.")
    return _transition(actor, draft, {Status.APPROVED}, Status.SENT, "sent", sent_at=sent_at, sent_how=how,
                       sent_reference=reference)


def record_decision(actor: Actor, draft: Draft, outcome: str, decided_on, notes: str = "") -> Draft:
    """The front door's decision in the Standard Safeguarding Dataset's outcome vocabulary (FrontDoorOutcome),
    the day they made it (not in the future, not before the day it was sent), and anything else they said."""
    if not rules.can_record_outcome(actor, draft):
        raise NotAllowed("Only the practitioner or their safeguarding lead can record the front door's decision.")
    if outcome not in FrontDoorOutcome.values:
        raise NotAllowed("Choose what the front door decided.")
    if decided_on is None or decided_on > timezone.localdate():
        raise NotAllowed("Enter the date the front door decided: it cannot be in the future.")

    def after_sending(locked: Draft) -> None:
        if locked.sent_at and decided_on < timezone.localdate(locked.sent_at):
            raise NotAllowed(f"The date they decided cannot be before the date it was sent "
                             f"({timezone.localdate(locked.sent_at):%-d %B %Y}).")
    return _transition(actor, draft, {Status.SENT}, Status.DECIDED, "decision recorded", check=after_sending,
                       detail={"outcome": outcome}, decision_outcome=outcome, decision_on=decided_on,
                       decision=notes.strip(), decision_at=timezone.now())


class NotExportable(Exception):
    """Nothing to export: a draft being written, or returned to be written again (`not_submitted`), or a
    concern closed without a referral (`closed`: no referral was made)."""

    def __init__(self, draft: Draft):
        self.reason = "closed" if draft.status == Status.CLOSED else "not_submitted"
        super().__init__(f"draft {draft.pk} is {draft.status}")


def exported_submission(draft: Draft) -> Submission | None:
    """What a national export is made from: the submission waiting for review, or once approved (and sent,
    and decided) the approved one; nothing while the draft is being written or was returned, nor once it
    was closed without a referral."""
    if draft.status == Status.SUBMITTED:
        return draft.submissions.filter(outcome=Submission.Outcome.WAITING).order_by("-number").first()
    if draft.status in FROZEN and draft.status != Status.CLOSED:  # closed: no referral was made
        return draft.submissions.filter(outcome=Submission.Outcome.APPROVED).order_by("-number").first()
    return None


def national_export(draft: Draft) -> dict:
    """The referral in national terms (referrals/national.py), validated against its schema: NotExportable
    before it is submitted and once closed without a referral, national.InvalidExport (never a half-valid export) if it does not validate."""
    submission = exported_submission(draft)
    if submission is None:
        raise NotExportable(draft)
    export = national.build(submission.record, national.ExportFacts.of(draft, submission),
                            draft.catalogue_version.catalogue)
    return national.validate(export)


def pdf_of(draft: Draft, printed: tuple[dict, str, str] | None = None) -> bytes:
    """The draft's PDF (core.pdf.TooManyPages past the page cap): what a print shows, as printable says
    (pass printable's answer when the caller has it)."""
    shown, state, digest = printed or printable(draft)
    return render_pdf("referrals/pdf.html", {"record": shown, "state": state, "digest": digest,
                                             "closure": closure_of(draft), "generated_at": timezone.now()})


# A prepared PDF holds the child's details: it is kept this long at most, downloaded or not.
PREPARED_PDF_LIFETIME = timedelta(minutes=30)
# A render still unfinished after this has failed (its task retries, then waits on the failed-work page).
PREPARED_PDF_PATIENCE = timedelta(minutes=5)


def prints_in_the_background(shown: dict) -> bool:
    """A print (printable's record) long enough that its PDF takes seconds to lay out
    (settings.PDF_BACKGROUND_CHARS of printed text): it is prepared in the background, then downloaded."""
    return len(json.dumps(shown, default=str, ensure_ascii=False)) >= settings.PDF_BACKGROUND_CHARS


def prepare_pdf(actor: Actor, draft: Draft, purpose: str) -> PreparedPdf:
    """Ask for the draft's PDF to be rendered in the background, for this person and reason (audited now;
    the download is audited again when it happens)."""
    PreparedPdf.objects.filter(created_at__lt=timezone.now() - PREPARED_PDF_LIFETIME).delete()
    prepared = PreparedPdf.objects.create(draft=draft, requested_by=actor.person, purpose=purpose)
    record_access(actor, draft, "pdf_requested", purpose=purpose)
    _render_prepared_pdf.enqueue(f"pdf:{prepared.token}", token=str(prepared.token))
    return prepared


@background.background_task("referrals.render_pdf", attempts=3, backoff=10)
def _render_prepared_pdf(token: str) -> None:
    prepared = PreparedPdf.objects.filter(token=token).select_related("draft").first()
    if prepared is None:
        return  # downloaded or expired already
    try:
        body = pdf_of(prepared.draft)
    except TooManyPages as exc:
        PreparedPdf.objects.filter(pk=prepared.pk).update(state=PreparedPdf.State.TOO_LONG, pages=exc.pages)
        return
    PreparedPdf.objects.filter(pk=prepared.pk).update(state=PreparedPdf.State.READY, body=body)


def prepared_pdf(actor: Actor, draft: Draft, token: str) -> PreparedPdf:
    """The person's own prepared PDF of this draft (PreparedPdf.DoesNotExist otherwise, or once expired)."""
    return PreparedPdf.objects.get(token=token, draft=draft, requested_by_id=actor.pk,
                                   created_at__gte=timezone.now() - PREPARED_PDF_LIFETIME)


def hand_over_pdf(actor: Actor, draft: Draft, prepared: PreparedPdf) -> bytes:
    """The download: audited as a print for the reason given, and the stored copy deleted as it goes."""
    body = bytes(prepared.body or b"")
    with transaction.atomic():
        record_access(actor, draft, "pdf", purpose=prepared.purpose)
        prepared.delete()
    return body


def record_access(actor: Actor, draft: Draft, action: str, purpose: str = "") -> None:
    """A view, print or export of the draft: audited, never a history entry."""
    audit.record(actor, f"draft.{action}", draft, organisation=draft.organisation, purpose=purpose)


def _notify(addresses: list[str], subject: str, draft: Draft) -> None:
    """Email with a link only: no child details ever leave the application by email."""
    addresses = [a for a in addresses if a]
    if addresses:  # in the background, after the change commits; retried there if the relay fails
        send_email.enqueue(f"email:draft-{draft.pk}:{uuid4().hex}", addresses=addresses, subject=subject,
                           text=f"{subject}.", path=reverse("draft-detail", args=[draft.pk]))


def notification_count(actor: Actor) -> int:
    """What waits for this person: drafts to review (leads) and drafts that came back (practitioners)."""
    # One count over what the person may reach (waiting_for's rows are among them): it runs on every page.
    came_back = Q(owner_id=actor.pk, status__in=[Status.RETURNED, Status.APPROVED])
    waiting = Q(organisation_id__in=actor.lead_organisation_ids, status=Status.SUBMITTED) & ~Q(owner_id=actor.pk)
    return Draft.objects.for_user(actor).filter(came_back | waiting if actor.lead_organisation_ids else came_back) \
        .count()
