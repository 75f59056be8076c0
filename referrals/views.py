"""Referral draft pages. Thin: forms parse, services decide and write, templates render."""

from __future__ import annotations

from datetime import datetime, time
from typing import cast

from django.contrib import messages
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Assessment
from assessments.services import suggestion_for
from authorities import rules
from authorities.http import ActorRequest
from authorities.models import Role
from core.errors import NotAllowed
from core.pdf import render_pdf
from core.working_days import working_days_between

from . import checks, services
from .forms import DecisionForm, DraftForm, PrintForm, ReviewForm, SentForm
from .models import Draft, Status


def _draft(request: ActorRequest, pk: int) -> Draft:
    """A draft the user may see, or 404 (never 403: existence must not leak)."""
    return get_object_or_404(
        Draft.objects.for_user(request.actor).select_related(
            "assessment__catalogue_version__authority", "organisation", "owner")
        .defer("assessment__catalogue_version__content"),  # the parsed catalogue is cached per process
        pk=pk,
    )


def my_work(request: ActorRequest) -> HttpResponse:
    """The practitioner's own assessments and drafts (this app sits above assessments, so it lists both)."""
    assessments = Assessment.objects.for_user(request.actor).select_related("catalogue_version__authority") \
        .defer("catalogue_version__content")[:200]
    drafts = Draft.objects.for_user(request.actor).filter(owner_id=request.actor.pk) \
        .select_related("assessment__catalogue_version__authority").defer("assessment__catalogue_version__content")[:200]
    if request.actor.primary is not None:
        services.audit.record(request.actor, "assessment.list")
    return render(request, "referrals/my_work.html", {"assessments": assessments, "drafts": drafts})


def _context(request: ActorRequest, draft: Draft, **extra) -> dict:
    catalogue = draft.catalogue_version.catalogue
    suggestion = suggestion_for(draft.assessment)
    return {
        "draft": draft,
        "catalogue": catalogue,
        "version": draft.catalogue_version,
        "suggestion": suggestion,
        "chosen": checks.level_of(catalogue, draft.chosen_level),
        # A child-protection referral at the top level goes ahead without consent: say so first.
        "cp_applies": suggestion.child_protection and draft.chosen_level == suggestion.level_number,
        "route": checks.route_for(catalogue, draft.chosen_level, unborn=draft.assessment.unborn),
        "concerns": services.concerns(draft),
        "problems": services.problems(draft, suggestion),
        "consent_ground": next((g for g in catalogue.consent_grounds if g.id == draft.consent_ground), None),
        "signs_of_safety": any(x.kind == "signs_of_safety" for x in catalogue.lists),
        "history": draft.events.select_related("actor"),
        "print_form": PrintForm(),
        "review_form": ReviewForm(),
        "sent_form": SentForm(),
        "decision_form": DecisionForm(),
        "chase": needs_chasing(draft),
        "can_review": draft.status == Status.SUBMITTED and rules.can_review(request.actor, draft),
        **extra,
    }


def needs_chasing(draft: Draft) -> bool:
    """Sent with no decision recorded after one working day: prompt the practitioner to chase it."""
    return bool(draft.status == Status.SENT and draft.sent_at and
                working_days_between(timezone.localdate(draft.sent_at), timezone.localdate()) >= 1)


def _narrative(draft: Draft) -> list[tuple[str, str]]:
    names = ["worries", "working_well", "needs_to_happen", "child_voice", "strengths", "support_tried",
             "immediate_risks"]
    # get_field() may return a relation; these are all text fields, which have a verbose name.
    labels = [str(cast(models.Field, Draft._meta.get_field(f)).verbose_name) for f in names]
    return [(label[:1].upper() + label[1:], getattr(draft, f)) for f, label in zip(names, labels, strict=True)]


@require_POST
def draft_create(request: ActorRequest, assessment_pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.for_user(request.actor), pk=assessment_pk)
    draft = services.create_from_assessment(request.actor, assessment)
    return redirect("draft-detail", pk=draft.pk)


def _form(draft: Draft, data=None) -> DraftForm:
    return DraftForm(data, instance=draft, catalogue=draft.catalogue_version.catalogue,
                     initial={"revision": draft.revision})


@require_http_methods(["GET", "POST"])
def draft_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """The draft: an editable form for its author while it is editable, a read-only view otherwise.

    A POST saves (htmx autosave returns just the save status). A stale revision gives the
    conflict page, which keeps what this person typed."""
    draft = _draft(request, pk)
    editable = rules.can_edit(request.actor, draft) and draft.status in services.EDITABLE
    if request.method == "POST":
        if not editable:
            if request.htmx:
                # A late autosave (e.g. one that lands just after Submit): say so in the status line and
                # leave the session's messages alone, so the page after Submit still says "Submitted".
                return render(request, "referrals/_save_status.html", {"refused": True}, status=409)
            messages.error(request, "This draft can no longer be changed.")
            return redirect("draft-detail", pk=pk)
        form = _form(draft, request.POST)
        if not form.is_valid():
            status = 200 if request.htmx else 400
            template = "referrals/_save_status.html" if request.htmx else "referrals/draft.html"
            return render(request, template, _context(request, draft, form=form, editable=True), status=status)
        try:
            draft = services.save(request.actor, draft, form.cleaned_values(), form.cleaned_data["revision"])
        except NotAllowed:
            if request.htmx:
                return render(request, "referrals/_save_status.html", {"refused": True}, status=409)
            messages.error(request, "This draft can no longer be changed.")
            return redirect("draft-detail", pk=pk)
        except services.ConflictError as exc:
            if request.htmx:
                return render(request, "referrals/_save_status.html", {"stale": True}, status=409)
            return render(request, "referrals/conflict.html",
                          _context(request, exc.current, form=form, theirs=exc.current), status=409)
        if request.htmx:
            return render(request, "referrals/_save_status.html", _context(request, draft, saved_at=timezone.now()))
        messages.success(request, "Draft saved.")
        return redirect("draft-detail", pk=pk)
    services.record_access(request.actor, draft, "view")
    return render(request, "referrals/draft.html", _context(request, draft, form=_form(draft) if editable else None,
                                                           editable=editable))


@require_GET
def draft_pdf(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = PrintForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Choose why you are printing the draft, then select Download PDF.")
        return redirect("draft-detail", pk=pk)
    context = _context(request, draft, generated_at=timezone.now(), narrative=_narrative(draft))
    body = render_pdf("referrals/pdf.html", context)
    services.record_access(request.actor, draft, "pdf", purpose=form.cleaned_data["purpose"])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{draft.pk}.pdf"'
    return response


def _act(request: ActorRequest, draft: Draft, action) -> HttpResponse:
    """Run one workflow step; a refusal comes back as a clear message on the draft's page."""
    try:
        action(draft)
    except services.NotReady as exc:
        return render(request, "referrals/draft.html",
                      _context(request, draft, form=_form(draft), editable=True, blocking=exc.problems), status=400)
    except services.ConflictError:
        messages.error(request, "The draft changed since you loaded the page: check it, then try again.")
    except NotAllowed as exc:
        messages.error(request, str(exc))
    return redirect("draft-detail", pk=draft.pk)


@require_POST
def draft_submit(request: ActorRequest, pk: int) -> HttpResponse:
    def submit(draft):
        services.submit(request.actor, draft)
        messages.success(request, "Submitted to your safeguarding lead for review.")
    return _act(request, _draft(request, pk), submit)


@require_POST
def draft_review(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "referrals/draft.html", _context(request, draft, review_form=form), status=400)

    def review(d):
        if form.cleaned_data["decision"] == "approve":
            services.approve(request.actor, d, form.cleaned_data["comment"].strip())
            messages.success(request, "Draft approved. The practitioner has been told.")
        else:
            services.return_to_practitioner(request.actor, d, form.cleaned_data["comment"].strip())
            messages.success(request, "Draft returned with your comments. The practitioner has been told.")
    return _act(request, draft, review)


@require_POST
def draft_sent(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = SentForm(request.POST)
    if not form.is_valid():
        return render(request, "referrals/draft.html", _context(request, draft, sent_form=form), status=400)
    sent_at = timezone.make_aware(datetime.combine(form.cleaned_data["sent_on"], time(12)))
    return _act(request, draft, lambda d: services.mark_sent(request.actor, d, sent_at, form.cleaned_data["how"],
                                                          form.cleaned_data["reference"]))


@require_POST
def draft_decision(request: ActorRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "referrals/draft.html", _context(request, draft, decision_form=form), status=400)
    return _act(request, draft, lambda d: services.record_decision(request.actor, d, form.cleaned_data["decision"]))


@require_GET
def review_queue(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not rules.is_a_lead(actor):
        raise Http404
    waiting = Draft.objects.waiting_for(actor).select_related("owner", "assessment__catalogue_version__authority") \
        .defer("assessment__catalogue_version__content").order_by("submitted_at")
    seat = actor.seat_for(Role.SAFEGUARDING_LEAD)
    if seat is None:  # is_a_lead above: never
        raise Http404
    services.audit.record(actor, "draft.review_queue", role=seat.role, organisation=seat.organisation)
    return render(request, "referrals/review_queue.html", {"waiting": waiting})
