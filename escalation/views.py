"""Escalation pages: list (overdue first), open, a case with its steps, the record forms as PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities import rules
from authorities.http import ActorRequest
from authorities.models import Authority
from catalogues.models import CatalogueVersion
from core.errors import NotAllowed
from core.pdf import render_pdf
from referrals import checks as referral_checks
from referrals import services as referral_services
from referrals.models import Draft

from . import presenters, services
from .forms import CloseForm, OpenCaseForm, PartnershipForm, StepForm
from .models import EscalationCase, EscalationStep
from .procedure import StepSpec, steps_of

FORMS = {"summary-log": "Agency Escalation Summary Log", "partnership-report": "Report to the partnership"}


def _case(request: ActorRequest, pk: int) -> EscalationCase:
    return get_object_or_404(
        EscalationCase.objects.for_user(request.actor).select_related("catalogue_version__authority", "organisation")
        .defer("catalogue_version__content"),
        pk=pk,
    )


PAGE = 50


@require_GET
def escalation_list(request: ActorRequest) -> HttpResponse:
    today = timezone.localdate()
    # Pages of 50, ordered in the database by the current step's deadline (overdue first, none last), so
    # only the page's cases and their steps are read however many there are.
    current_due = Subquery(EscalationStep.objects.filter(case=OuterRef("pk")).order_by("-number")
                           .values("due_on")[:1])
    open_cases = (EscalationCase.objects.for_user(request.actor).filter(status=EscalationCase.Status.OPEN)
                  .annotate(current_due=current_due)
                  .order_by(F("current_due").asc(nulls_last=True), "pk")
                  .select_related("catalogue_version__authority").defer("catalogue_version__content"))
    open_page = Paginator(open_cases, PAGE).get_page(request.GET.get("open"))
    on_page = list(open_page.object_list)
    prefetch_related_objects(on_page, "steps")
    rows = presenters.case_rows(on_page, today)
    closed = Paginator(EscalationCase.objects.for_user(request.actor).filter(status=EscalationCase.Status.CLOSED)
                       .order_by("-closed_at", "-pk").only("pk", "other_agency", "closed_at"),
                       PAGE).get_page(request.GET.get("closed"))
    if request.actor.primary is not None:
        services.audit.record(request.actor, "escalation.list")
    return render(request, "escalation/list.html", {"rows": rows, "open_page": open_page, "closed": closed})


def _with_procedures() -> list[Authority]:
    """The partnerships with a published catalogue (so an escalation procedure), by name."""
    return list(Authority.objects.filter(catalogue_versions__status=CatalogueVersion.Status.PUBLISHED)
                .distinct().order_by("name"))


@require_http_methods(["GET", "POST"])
def escalation_new(request: ActorRequest) -> HttpResponse:
    """Open an escalation under a partnership's procedure: the draft's when it is about a referral; otherwise
    the one chosen (``partnership``: links from a child's assessment give the child's), else the user's own."""
    seat = request.actor.primary
    if seat is None or not rules.can_start_work(request.actor):
        raise Http404
    draft = None
    draft_id = request.GET.get("draft") or request.POST.get("draft")
    if draft_id:
        if not str(draft_id).isdigit():
            raise Http404
        draft = get_object_or_404(Draft.objects.for_user(request.actor), pk=int(draft_id))
    data = request.POST if request.method == "POST" else request.GET
    authority = draft.authority if draft else seat.authority
    if draft is None and data.get("partnership"):
        authority = get_object_or_404(Authority, slug=data["partnership"])
    elif draft is None and request.method == "GET" and request.GET.get("authority", "").isdigit():
        authority = get_object_or_404(Authority, pk=int(request.GET["authority"]))
    version = draft.catalogue_version if draft else CatalogueVersion.objects.current_for(authority)
    if version is None:  # the partnership has no published catalogue, so no escalation procedure
        raise Http404
    initial = {"our_agency": seat.organisation.name}
    if draft:
        # The disagreement is with the service the referral went to: the route's first contact.
        route = referral_checks.route_for(version.catalogue, draft.chosen_level, unborn=draft.assessment.unborn)
        initial["other_agency"] = route["contacts"][0].name if route["contacts"] else ""
        initial["about"] = f"The front door's decision on our referral (draft {draft.pk}): {draft.decision}".strip()
    form = OpenCaseForm(request.POST or None, initial=initial)
    choice = None if draft else PartnershipForm(
        initial={"partnership": authority.slug},
        choices=[(a.slug, a.partnership) for a in _with_procedures()])
    if draft is not None:  # the page shows the draft's decision: a view of the draft
        referral_services.record_access(request.actor, draft, "view", purpose="escalation_new")
    if request.method == "POST" and form.is_valid():
        case = services.open_case(request.actor, authority, draft=draft, **form.cleaned_data)
        return redirect("escalation-detail", pk=case.pk)
    return render(request, "escalation/new.html", {"form": form, "draft": draft, "authority": authority,
                                                   "choice": choice, "catalogue": version.catalogue,
                                                   "specs": steps_of(version.catalogue)},
                  status=400 if form.errors else 200)


def _step_form(step: EscalationStep | None, specs: list[StepSpec], data=None) -> StepForm:
    """The form for recording a step; escalating is offered only before the procedure's last step."""
    return StepForm(data, next_step=step.number + 1 if step and step.number < len(specs) else None)


def _detail_context(case: EscalationCase, **extra) -> dict:
    today = timezone.localdate()
    catalogue = case.catalogue_version.catalogue
    specs = steps_of(catalogue)
    steps = list(case.steps.all())
    current = steps[-1] if steps and not steps[-1].outcome else None
    step_form = extra.pop("step_form", None)
    return {"case": case, "catalogue": catalogue, "steps": presenters.step_views(steps, specs, today),
            "specs": specs, "current": current,
            "step_form": step_form if step_form is not None else _step_form(current, specs),
            "close_form": extra.pop("close_form", CloseForm()),
            "forms": FORMS, "escalation": catalogue.escalation,
            "CaseStatus": EscalationCase.Status,  # templates compare with the enum, not with literals
            **extra}


def _show(request: ActorRequest, case: EscalationCase, *, status: int = 200, purpose: str = "",
          **extra) -> HttpResponse:
    """Render the case page: one audit event for every response that shows it, whatever its status."""
    services.record_access(request.actor, case, "view", purpose=purpose)
    return render(request, "escalation/detail.html", _detail_context(case, **extra), status=status)


@require_GET
def escalation_detail(request: ActorRequest, pk: int) -> HttpResponse:
    return _show(request, _case(request, pk))


@require_POST
def escalation_step(request: ActorRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    current = case.current_step
    form = _step_form(current, steps_of(case.catalogue_version.catalogue), request.POST)
    if not form.is_valid() or current is None:
        return _show(request, case, status=400, purpose="invalid_step", step_form=form)
    try:
        nxt = services.record_step(request.actor, case, current, **form.cleaned_data)
    except NotAllowed as exc:
        services.record_access(request.actor, case, "refused", purpose="record_step")
        messages.error(request, str(exc))
    else:
        if nxt:
            messages.success(request, f"Escalated to step {nxt.number}: {nxt.title}.")
        else:
            messages.success(request, f"Step {current.number} recorded.")
    return redirect("escalation-detail", pk=pk)


@require_POST
def escalation_close(request: ActorRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _show(request, case, status=400, purpose="invalid_close", close_form=form)
    try:
        services.close_case(request.actor, case, form.cleaned_data["resolution"], form.cleaned_data["learning"])
    except NotAllowed as exc:
        services.record_access(request.actor, case, "refused", purpose="close")
        messages.error(request, str(exc))
    else:
        messages.success(request, "The escalation is closed.")
    return redirect("escalation-detail", pk=pk)


@require_GET
def escalation_form_pdf(request: ActorRequest, pk: int, form: str) -> HttpResponse:
    case = _case(request, pk)
    if form not in FORMS:
        raise Http404
    body = render_pdf("escalation/form_pdf.html", _detail_context(case, form_title=FORMS[form],
                                                                 generated_at=timezone.now()))
    services.record_access(request.actor, case, "pdf", purpose=form)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="escalation-{case.pk}-{form}.pdf"'
    return response
