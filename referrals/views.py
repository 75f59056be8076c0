"""Referral draft pages. Thin: forms parse, services decide and write, templates render."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Assessment
from assessments.services import suggestion_for
from authorities import rules
from authorities.http import ActorRequest
from authorities.models import Role
from authorities.views import server_error
from core.errors import NotAllowed
from core.pdf import TooManyPages
from core.working_days import working_days_between

from . import checks, national, services
from .forms import CloseForm, DecisionForm, DraftForm, PrintForm, ReviewForm, SentForm, SubmitForm
from .models import Draft, PreparedPdf, Status, Submission
from .presenters import QueueRow

logger = logging.getLogger(__name__)


def _draft(request: ActorRequest, pk: int) -> Draft:
    """A draft the user may see, or 404 (never 403: existence must not leak)."""
    return get_object_or_404(
        Draft.objects.for_user(request.actor).select_related(
            "assessment__catalogue_version__authority", "organisation", "owner", "closed_by")
        .defer("assessment__catalogue_version__content"),  # the parsed catalogue is cached per process
        pk=pk,
    )


@require_GET
def my_work(request: ActorRequest) -> HttpResponse:
    """The practitioner's own assessments and drafts (this app sits above assessments, so it lists both)."""
    # Each list a page of MY_WORK_PAGE at a time (newest first, through the owner + updated_at indexes), so
    # older work stays reachable and the page's cost does not grow with years of it.
    assessments = Paginator(Assessment.objects.for_user(request.actor).select_related("catalogue_version__authority")
                            .defer("catalogue_version__content").order_by("-updated_at", "-pk"),
                            MY_WORK_PAGE).get_page(request.GET.get("assessments"))
    drafts = Paginator(Draft.objects.for_user(request.actor).filter(owner_id=request.actor.pk)
                       .select_related("assessment__catalogue_version__authority")
                       .defer("assessment__catalogue_version__content").order_by("-updated_at", "-pk"),
                       MY_WORK_PAGE).get_page(request.GET.get("drafts"))
    if request.actor.primary is not None:
        services.audit.record(request.actor, "assessment.list")
    # Sent a working day ago or more with no decision: from the row itself, no query per draft.
    chasing = {d.pk for d in drafts if needs_chasing(d)}
    return render(request, "referrals/my_work.html", {"assessments": assessments, "drafts": drafts,
                                                      "chasing": chasing, "Status": Status})


MY_WORK_PAGE = 50


def _context(request: ActorRequest, draft: Draft, **extra) -> dict:
    catalogue = draft.catalogue_version.catalogue
    suggestion = suggestion_for(draft.assessment)
    # What prints, and, once submitted, what was frozen: the read-only page shows exactly this.
    submission = services.latest_submission(draft) if draft.status in services.FROZEN else None
    shown, state, digest = services.printable(draft, suggestion, submission)
    return {
        "Status": Status,  # templates compare with the enum, not with literals
        "record": shown,
        "state": state,
        "digest": digest,
        "submission": submission,
        # For the lead: what changed since they returned the previous submission.
        "changes": services.changes_since_returned(submission),
        "submit_form": SubmitForm(initial={"revision": draft.revision}),
        "draft": draft,
        "catalogue": catalogue,
        "version": draft.catalogue_version,
        "suggestion": suggestion,
        "chosen": checks.level_of(catalogue, draft.chosen_level),
        # A child-protection referral at the top level goes ahead without consent: say so first.
        "cp_applies": suggestion.child_protection and draft.chosen_level == suggestion.level_number,
        "route": checks.route_for(catalogue, draft.chosen_level, unborn=draft.assessment.unborn),
        "problems": services.problems(draft, suggestion),
        "consent_ground": next((g for g in catalogue.consent_grounds if g.id == draft.consent_ground), None),
        "signs_of_safety": any(x.kind == "signs_of_safety" for x in catalogue.lists),
        "history": draft.events.select_related("actor", "submission"),
        "print_form": PrintForm(part_of="draft-form" if _editable(request, draft) else ""),
        # The same question at the end of the form (other ids; one radio group with the one beside it).
        "end_print_form": PrintForm(part_of="draft-form", auto_id="id_end_%s"),
        "phone_now": phone_now(suggestion),
        "phone_contacts": phone_contacts(suggestion),
        "review_form": _review_form(draft, initial={"submission": digest}),
        "lead_level": checks.level_of(catalogue, submission.lead_level) if submission else None,
        "sent_form": SentForm(initial={"sent_on": timezone.localdate()}),  # most are sent the day they are approved
        "decision_form": DecisionForm(sent_on=_sent_on(draft)),
        "can_record": rules.can_record_outcome(request.actor, draft),
        "chase": needs_chasing(draft),
        "can_review": draft.status == Status.SUBMITTED and rules.can_review(request.actor, draft),
        # Closing without a referral: the lead's own concern below its form, or after the review form.
        "can_close": _may_close(request, draft),
        "close_form": _close_form(request, draft, suggestion, initial={"submission": digest}),
        "closure": services.closure_of(draft),
        "blocking_links": [{"message": p.message, "anchor": _anchor(extra.get("form"), p.place)}
                           for p in extra.get("blocking") or []],
        **extra,
    }


def _anchor(form: DraftForm | None, place: str) -> str:
    """Where a problem's link goes: the field's control (the first radio of a group), else its id."""
    if form is not None and place in form.fields:
        return form[place].anchor_id  # type: ignore[attr-defined]  # GovukBoundField, from the form renderer
    return f"id_{place}"


def phone_now(suggestion) -> bool:
    """Danger or a child-protection concern: the draft asks for the call to be made (and recorded) first."""
    return suggestion.immediate_danger or suggestion.child_protection


def phone_contacts(suggestion) -> list:
    """Who to phone now, each once: for immediate danger the emergency route (999 first), then the front
    door; for a child-protection concern the front door first."""
    order = [*suggestion.emergency_contacts, *suggestion.contacts] if suggestion.immediate_danger \
        else [*suggestion.contacts, *suggestion.emergency_contacts]
    return list({c.contact.id: c for c in order if c.contact.phone}.values())


def _review_form(draft: Draft, data=None, **kwargs) -> ReviewForm:
    return ReviewForm(data, levels=draft.catalogue_version.catalogue.levels, practitioner_level=draft.chosen_level,
                      **kwargs)


def _editable(request: ActorRequest, draft: Draft) -> bool:
    return rules.can_edit(request.actor, draft) and draft.status in services.EDITABLE


def _may_close(request: ActorRequest, draft: Draft) -> bool:
    """A lead may close it without a referral: someone else's draft waiting for review (the second person),
    or their own concern while they write it (services.close decides again, on the locked row)."""
    if not rules.can_close(request.actor, draft):
        return False
    if draft.status == Status.SUBMITTED:
        return rules.can_review(request.actor, draft)
    return _editable(request, draft)


def _close_form(request: ActorRequest, draft: Draft, suggestion, data=None, **kwargs) -> CloseForm:
    # Danger or a child-protection concern in the ticks: closing needs its own confirmation.
    return CloseForm(data, child_protection=phone_now(suggestion),
                     part_of="draft-form" if _editable(request, draft) else "", **kwargs)


def _sent_on(draft: Draft):
    return timezone.localdate(draft.sent_at) if draft.sent_at else None


def needs_chasing(draft: Draft) -> bool:
    """Sent with no decision recorded after one working day: prompt the practitioner to chase it."""
    return bool(draft.status == Status.SENT and draft.sent_at and
                working_days_between(timezone.localdate(draft.sent_at), timezone.localdate()) >= 1)


@require_POST
def draft_create(request: ActorRequest, assessment_pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.for_user(request.actor), pk=assessment_pk)
    existing = services.open_draft_for(request.actor, assessment)
    draft = services.create_from_assessment(request.actor, assessment)
    if existing is not None:
        messages.success(request, f"You are already writing draft {draft.pk} from this assessment: carry on here.")
    return redirect("draft-detail", pk=draft.pk)


def _form(draft: Draft, data=None, suggestion=None) -> DraftForm:
    suggestion = suggestion or suggestion_for(draft.assessment)
    return DraftForm(data, instance=draft, catalogue=draft.catalogue_version.catalogue,
                     phone_now=phone_now(suggestion), initial={"revision": draft.revision})


def _show(request: ActorRequest, draft: Draft, template: str = "referrals/draft.html", *, status: int = 200,
          purpose: str = "", **extra) -> HttpResponse:
    """Render a page that shows the draft: one audit event for every such response, whatever its
    status (a refused or invalid post shows the draft again, so it is a view too, with its purpose)."""
    services.record_access(request.actor, draft, "view", purpose=purpose)
    return render(request, template, _context(request, draft, **extra), status=status)


def _refused(request: ActorRequest, draft: Draft, why: str, **extra) -> HttpResponse:
    """An autosave refused (the draft was submitted, or saved elsewhere): said in the status line (409)
    and recorded, without any of the text that was posted."""
    services.record_access(request.actor, draft, "save_refused", purpose=why)
    return render(request, "referrals/_save_status.html", extra, status=409)


@require_http_methods(["GET", "POST"])
def draft_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """The draft: an editable form for its author while it is editable, a read-only view otherwise.

    A POST saves (htmx autosave returns just the save status). A stale revision gives the
    conflict page, which keeps what this person typed."""
    draft = _draft(request, pk)
    editable = _editable(request, draft)
    if request.method == "POST":
        if not editable:
            if request.htmx:
                # A late autosave (e.g. one that lands just after Submit): say so in the status line and
                # leave the session's messages alone, so the page after Submit still says "Submitted".
                return _refused(request, draft, "not_editable", refused=True)
            services.record_access(request.actor, draft, "save_refused", purpose="not_editable")
            messages.error(request, "This draft can no longer be changed.")
            return redirect("draft-detail", pk=pk)
        suggestion = suggestion_for(draft.assessment)
        form = _form(draft, request.POST, suggestion)
        if not form.is_valid():
            if request.htmx:
                services.record_access(request.actor, draft, "save_refused", purpose="invalid")
                return render(request, "referrals/_save_status.html", {"form": form})
            return _show(request, draft, status=400, purpose="invalid_save", form=form, editable=True)
        try:
            draft = services.save(request.actor, draft, form.cleaned_values(), form.cleaned_data["revision"])
        except NotAllowed:
            if request.htmx:
                return _refused(request, draft, "not_editable", refused=True)
            services.record_access(request.actor, draft, "save_refused", purpose="not_editable")
            messages.error(request, "This draft can no longer be changed.")
            return redirect("draft-detail", pk=pk)
        except services.ConflictError as exc:
            if request.htmx:
                return _refused(request, exc.current, "stale", stale=True)
            return _show(request, exc.current, "referrals/conflict.html", status=409, purpose="conflict", form=form,
                         theirs=exc.current)
        if request.htmx:
            # The status line and the new revision, and the pre-submission check again (swapped in out of
            # band), so fixing a problem clears it at once.
            return render(request, "referrals/_save_status.html", {
                "draft": draft, "saved_at": timezone.now(), "problems": services.problems(draft, suggestion),
                "live_check": True})
        messages.success(request, "Draft saved.")
        return redirect("draft-detail", pk=pk)
    return _show(request, draft, form=_form(draft) if editable else None, editable=editable)


def _carries_the_draft(request: ActorRequest) -> bool:
    return "revision" in request.POST and any(f in request.POST for f in DraftForm.Meta.fields)


def _save_what_was_typed(request: ActorRequest, draft: Draft) -> Draft | HttpResponse:
    """Submit and Download PDF are buttons of the draft's own form: whatever was typed and not yet
    autosaved (still in the field, or no JavaScript) is saved first, so it is never lost or left out.
    Returns the saved draft, or the page to show instead (what to fix, or the conflict)."""
    if not _carries_the_draft(request) or not _editable(request, draft):
        return draft  # nothing typed came with it, or nothing may be saved: the step decides
    form = _form(draft, request.POST)
    if not form.is_valid():
        return _show(request, draft, status=400, purpose="invalid_save", form=form, editable=True)
    try:
        return services.save(request.actor, draft, form.cleaned_values(), form.cleaned_data["revision"])
    except services.ConflictError as exc:
        return _show(request, exc.current, "referrals/conflict.html", status=409, purpose="conflict", form=form,
                     theirs=exc.current)


@require_http_methods(["GET", "POST"])
def draft_pdf(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if request.method == "POST":
        saved = _save_what_was_typed(request, draft)
        if isinstance(saved, HttpResponse):
            return saved
        draft = saved
    form = PrintForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        services.record_access(request.actor, draft, "pdf_refused", purpose="no_purpose")
        messages.error(request, "Choose why you are printing the draft, then select Download PDF.")
        return redirect("draft-detail", pk=pk)
    printed = services.printable(draft)
    if services.prints_in_the_background(printed[0]):
        prepared = services.prepare_pdf(request.actor, draft, form.cleaned_data["purpose"])
        return redirect("draft-pdf-prepared", pk=pk, token=prepared.token)
    try:
        body = services.pdf_of(draft, printed)
    except TooManyPages as exc:
        messages.error(request, f"The PDF would run to {exc.pages} pages, more than {exc.limit}: shorten the longest "
                                "sections of the draft, then download it again.")
        return _show(request, draft, status=413, purpose="pdf_too_long")
    services.record_access(request.actor, draft, "pdf", purpose=form.cleaned_data["purpose"])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{draft.pk}.pdf"'
    return response


@require_GET
def draft_pdf_prepared(request: ActorRequest, pk: int, token: str) -> HttpResponse:
    """A long draft's PDF, prepared in the background: a page that checks again every few seconds (a plain
    refresh, no script) until it is ready, then the download (?download=1), once."""
    draft = _draft(request, pk)
    try:
        prepared = services.prepared_pdf(request.actor, draft, token)
    except PreparedPdf.DoesNotExist:
        raise Http404 from None
    State = PreparedPdf.State
    if prepared.state == State.READY and request.GET.get("download"):
        response = HttpResponse(services.hand_over_pdf(request.actor, draft, prepared), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="referral-{draft.pk}.pdf"'
        return response
    late = prepared.state == State.PREPARING and timezone.now() - prepared.created_at > services.PREPARED_PDF_PATIENCE
    return render(request, "referrals/pdf_prepared.html", {"draft": draft, "prepared": prepared, "late": late,
                                                            "limit": settings.PDF_MAX_PAGES},
                  status=413 if prepared.state == State.TOO_LONG else 200)


@require_GET
def draft_national(request: ActorRequest, pk: int) -> HttpResponse:
    """The submitted referral in national (SSD) terms, as a JSON file: for its author and their lead, from
    the frozen submission (the approved one once approved), validated against its schema before it is
    served. Asked with the same "why" as the PDF, and audited the same way."""
    draft = _draft(request, pk)
    form = PrintForm(request.GET)
    if not form.is_valid():
        services.record_access(request.actor, draft, "export_national_refused", purpose="no_purpose")
        messages.error(request, "Choose why you are downloading the referral, then download it again.")
        return redirect("draft-detail", pk=pk)
    try:
        export = services.national_export(draft)
    except services.NotExportable as exc:
        services.record_access(request.actor, draft, "export_national_refused", purpose=exc.reason)
        messages.error(request, "This concern was closed without a referral: nothing was referred, so there is "
                                "nothing to download in national terms." if exc.reason == "closed" else
                                "Only a submitted referral can be downloaded in national terms: submit it first.")
        return redirect("draft-detail", pk=pk)
    except national.InvalidExport as exc:
        # Where and which rule only: the value may be the child's name. Nothing half-valid is served.
        logger.error("national export of draft %s not served: it fails its schema at %s (%s)", draft.pk,
                     exc.where, exc.rule)
        services.record_access(request.actor, draft, "export_national_refused", purpose="invalid_export")
        return server_error(request)
    services.record_access(request.actor, draft, "export_national", purpose=form.cleaned_data["purpose"])
    response = HttpResponse(json.dumps(export, indent=2, ensure_ascii=False) + "\n",
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referral-{draft.pk}-national.json"'
    return response


@require_POST
def draft_save_and_sign_out(request: ActorRequest, pk: int) -> HttpResponse:
    """"Save and sign out", a button of the draft's form: without JavaScript the header's Sign out would drop
    what was typed since the last "Save draft" (with it, static/js/session.mjs saves first). ADR 0006."""
    draft = _draft(request, pk)
    saving = _carries_the_draft(request) and _editable(request, draft)
    saved = _save_what_was_typed(request, draft)
    if isinstance(saved, HttpResponse):
        return saved  # what to fix, or the conflict: still signed in, nothing lost
    logout(request)
    messages.success(request, "Your draft is saved and you are signed out." if saving else "You are signed out.")
    return redirect("login")


def _act(request: ActorRequest, draft: Draft, action) -> HttpResponse:
    """Run one workflow step; a refusal comes back as a clear message on the draft's page."""
    try:
        action(draft)
    except services.NotReady as exc:
        return _show(request, draft, status=400, purpose="not_ready", form=_form(draft), editable=True,
                     blocking=exc.problems)
    except services.ConflictError:
        services.record_access(request.actor, draft, "refused", purpose="conflict")
        messages.error(request, "The draft changed since you loaded the page: check it, then try again.")
    except NotAllowed as exc:
        services.record_access(request.actor, draft, "refused", purpose="not_allowed")
        messages.error(request, str(exc))
    return redirect("draft-detail", pk=draft.pk)


@require_POST
def draft_submit(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    saved = _save_what_was_typed(request, draft)
    if isinstance(saved, HttpResponse):
        return saved
    revision: int | None
    if _carries_the_draft(request) and _editable(request, draft):
        revision = saved.revision  # just saved from this page: submit exactly that
    else:  # a bare submit: the revision on the page is the one to check
        form = SubmitForm(request.POST)
        revision = form.cleaned_data["revision"] if form.is_valid() else None

    def submit(d):
        services.submit(request.actor, d, expected_revision=revision)
        messages.success(request, "Submitted to your safeguarding lead for review.")
    return _act(request, saved, submit)


@require_POST
def draft_review(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = _review_form(draft, request.POST)
    if not form.is_valid():
        return _show(request, draft, status=400, purpose="invalid_review", review_form=form)

    def review(d):
        data = form.cleaned_data
        seen = data["submission"] or None
        level = {"lead_level": data["lead_level"], "lead_level_reason": data["lead_level_reason"]}
        if data["decision"] == "approve":
            services.approve(request.actor, d, data["comment"].strip(), expected_hash=seen, **level)
            messages.success(request, "Draft approved. The practitioner has been told.")
        else:
            services.return_to_practitioner(request.actor, d, data["comment"].strip(), expected_hash=seen, **level)
            messages.success(request, "Draft returned with your comments. The practitioner has been told.")
    return _act(request, draft, review)


@require_POST
def draft_sent(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = SentForm(request.POST)
    if not form.is_valid():
        return _show(request, draft, status=400, purpose="invalid_sent", sent_form=form)
    sent_at = timezone.make_aware(datetime.combine(form.cleaned_data["sent_on"], time(12)))
    return _act(request, draft, lambda d: services.mark_sent(request.actor, d, sent_at, form.cleaned_data["how"],
                                                          form.cleaned_data["reference"]))


@require_POST
def draft_decision(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = DecisionForm(request.POST, sent_on=_sent_on(draft))
    if not form.is_valid():
        return _show(request, draft, status=400, purpose="invalid_decision", decision_form=form)

    def decide(d):
        data = form.cleaned_data
        services.record_decision(request.actor, d, data["outcome"], data["decided_on"], data["notes"])
        messages.success(request, "The front door's decision is recorded.")
    return _act(request, draft, decide)


@require_POST
def draft_close(request: ActorRequest, pk: int) -> HttpResponse:
    """Close without a referral. On the lead's own draft the fields belong to the draft's form, so what was
    typed into the draft is saved first (and frozen with it); on a submitted draft, the closure acts on the
    submission the lead saw."""
    draft = _draft(request, pk)
    if not _may_close(request, draft):  # refused by the service, with the reason, as the other steps are
        return _act(request, draft, lambda d: services.close(request.actor, d, closure=request.POST.get("closure", "")))
    editing = _editable(request, draft)
    saved = _save_what_was_typed(request, draft)
    if isinstance(saved, HttpResponse):
        return saved
    revision: int | None
    if _carries_the_draft(request) and editing:
        revision = saved.revision  # just saved from this page: freeze exactly that
    else:
        submitted = SubmitForm(request.POST)
        revision = submitted.cleaned_data["revision"] if submitted.is_valid() else None
    form = _close_form(request, saved, suggestion_for(saved.assessment), request.POST)
    if not form.is_valid():
        extra: dict[str, Any] = {"form": _form(saved), "editable": True} if editing else {}
        return _show(request, saved, status=400, purpose="invalid_close", close_form=form, **extra)

    def close(d):
        data = form.cleaned_data
        services.close(request.actor, d, closure=data["closure"], reason=data["closure_reason"],
                       single_agency_action=data["single_agency_action"], advice_from=data["advice_from"],
                       advice_on=data["advice_on"], advice_said=data["advice_said"],
                       confirm_child_protection=bool(data.get("confirm_child_protection")),
                       expected_hash=data["submission"] or None, expected_revision=revision)
        told = "" if editing else " The practitioner has been told."
        messages.success(request, f"Closed without a referral: your decision and the reason are recorded.{told}")
    return _act(request, saved, close)


@require_GET
def review_queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not rules.is_a_lead(actor):
        raise Http404
    # Danger and child protection first (phone the front door now), then the longest waiting: ordered in the
    # database by the waiting submission's urgency, a page at a time, only the page's records read.
    waiting = (Draft.objects.waiting_for(actor).in_queue_order()
               .select_related("owner", "assessment__catalogue_version__authority")
               .defer("assessment__catalogue_version__content"))
    page = Paginator(waiting, QUEUE_PAGE).get_page(request.GET.get("page"))
    drafts = list(page.object_list)
    prefetch_related_objects(drafts, Prefetch("submissions", queryset=Submission.objects.order_by("-number"),
                                              to_attr="newest_first"))
    rows = [QueueRow.of(d, timezone.now()) for d in drafts]
    seat = actor.seat_for(Role.SAFEGUARDING_LEAD)
    services.audit.record(actor, "draft.review_queue", role=seat.role if seat else None,
                          organisation=seat.organisation if seat else None)
    return render(request, "referrals/review_queue.html", {"rows": rows, "page": page})


QUEUE_PAGE = 50
