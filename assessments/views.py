"""Assessment pages. Thin: parse with forms, call the engine or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from authorities import rules
from authorities.http import ActorRequest

from . import presentation, services
from .forms import ChooseLevelForm, NewAssessmentForm, TicksForm
from .models import Assessment


def _assessment(request: ActorRequest, pk: int) -> Assessment:
    """An assessment the user may see, or 404 (never 403: existence must not leak)."""
    return get_object_or_404(
        Assessment.objects.for_user(request.actor)
        .select_related("catalogue_version__authority")
        .defer("catalogue_version__content"),  # the parsed catalogue is cached per process
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def assessment_new(request: ActorRequest) -> HttpResponse:
    if not rules.can_start_work(request.actor):
        raise Http404
    home = request.actor.home_authority
    form = NewAssessmentForm(request.POST or None, initial={"authority": home.pk if home else None, "mode": "named"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.start_assessment(
            request.actor, data["authority"], mode=data["mode"], child_name=data["child_name"],
            date_of_birth=data["date_of_birth"], due_date=data["due_date"], reference=data["reference"].strip(),
        )
        return redirect("assessment-detail", pk=assessment.pk)
    return render(request, "assessments/assessment_new.html", {"form": form})


def _panel_context(assessment: Assessment, suggestion) -> dict:
    """What the suggestion panel needs: all an htmx tick renders."""
    catalogue = assessment.catalogue_version.catalogue
    level = suggestion.level_number
    ratings = assessment.disability_ratings or {}
    return {
        "assessment": assessment,
        "catalogue": catalogue,
        "suggestion": suggestion,
        "disability_lists": presentation.lists_of_kind(catalogue, "disability_descriptors", level) if level else [],
        "matrix_band": presentation.matrix_band(catalogue, ratings),
    }


def _page_context(assessment: Assessment, suggestion, query: str = "", ticks_data=None) -> dict:
    """The whole page; `ticks_data` is a refused tick post, shown again with its errors."""
    catalogue = assessment.catalogue_version.catalogue
    level = suggestion.level_number
    sections = presentation.sections(catalogue, unborn=assessment.unborn, query=query)
    return _panel_context(assessment, suggestion) | {
        "version": assessment.catalogue_version,
        "query": query,
        "ticks_form": TicksForm(ticks_data, assessment=assessment, sections=sections, query=query),
        "unborn_lists": presentation.lists_of_kind(catalogue, "unborn_risk_factors") if assessment.unborn else [],
        "special_lists": presentation.lists_of_kind(catalogue, "special_circumstances"),
        "matrix": catalogue.disability_matrix,
        "level_form": ChooseLevelForm(
            levels=catalogue.levels, suggested=level,
            initial={"level": assessment.chosen_level or level, "reason": assessment.chosen_reason},
        ),
        "chosen_level": next((lv for lv in catalogue.levels if lv.number == assessment.chosen_level), None),
    }


@require_http_methods(["GET", "POST"])
def assessment_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """The assessment page; a POST saves the ticks. htmx gets the suggestion panel only."""
    assessment = _assessment(request, pk)
    if request.method == "POST":
        form = TicksForm(request.POST, assessment=assessment)
        if not form.is_valid():
            return _refused_ticks(request, assessment)
        try:
            suggestion = services.save_ticks(request.actor, assessment, form.cleaned_data["tick"], form.ratings(),
                                             expected_revision=form.cleaned_data["revision"])
        except services.StaleTicks as exc:
            return _stale_ticks(request, exc.current)
        except services.Locked as exc:
            return _locked(request, assessment, str(exc))
        if request.htmx:
            return render(request, "assessments/_suggestion_panel.html", _panel_context(assessment, suggestion))
        return redirect(reverse("assessment-detail", args=[pk]) + "#suggestion")
    services.record_view(request.actor, assessment)
    suggestion = services.suggestion_for(assessment)
    query = request.GET.get("q", "")[:200]
    return render(request, "assessments/assessment_detail.html", _page_context(assessment, suggestion, query))


@require_POST
def assessment_choose_level(request: ActorRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    suggestion = services.suggestion_for(assessment)
    catalogue = assessment.catalogue_version.catalogue
    form = ChooseLevelForm(request.POST, levels=catalogue.levels, suggested=suggestion.level_number)
    if form.is_valid():
        try:
            services.choose_level(request.actor, assessment, form.cleaned_data["level"],
                                  form.cleaned_data["reason"].strip())
        except services.Locked as exc:
            return _locked(request, assessment, str(exc))
        messages.success(request, "Your judgement of the level is saved.")
        return redirect(reverse("assessment-detail", args=[pk]) + "#judgement")
    context = _page_context(assessment, suggestion)
    context["level_form"] = form
    return render(request, "assessments/assessment_detail.html", context, status=400)


def _refused_ticks(request: ActorRequest, assessment: Assessment) -> HttpResponse:
    """A tick post the form refused (an id the catalogue version does not know, a bad rating): nothing is
    saved; the page (or, for htmx, the status) says what to do."""
    context = _page_context(assessment, services.suggestion_for(assessment), ticks_data=request.POST)
    if request.htmx:  # not swapped in (a 400): only a tampered or broken page gets here
        return render(request, "includes/error_summary.html", {"form": context["ticks_form"]}, status=400)
    return render(request, "assessments/assessment_detail.html", context, status=400)


def _stale_ticks(request: ActorRequest, current: Assessment) -> HttpResponse:
    """Saved elsewhere since this page loaded: nothing is overwritten; show the saved ticks to redo the change."""
    services.record_view(request.actor, current, "assessment.view_conflict")
    message = ("These ticks were changed in another tab or on another device since this page was loaded, so "
               "your last change was not saved. The page now shows the saved ticks: make your change again.")
    if request.htmx:
        response = render(request, "assessments/_change_refused.html", {"message": message, "assessment": current},
                          status=409)
        return response
    messages.error(request, message)
    context = _page_context(current, services.suggestion_for(current))
    return render(request, "assessments/assessment_detail.html", context, status=409)


def _locked(request: ActorRequest, assessment: Assessment, message: str) -> HttpResponse:
    """A change to an assessment frozen behind a submitted referral: refused (409), audited, and said."""
    services.record_view(request.actor, assessment, "assessment.change_refused")
    if request.htmx:
        return render(request, "assessments/_change_refused.html",
                      {"message": message, "assessment": assessment, "title": "This assessment cannot change now"},
                      status=409)
    messages.error(request, message)
    context = _page_context(assessment, services.suggestion_for(assessment))
    return render(request, "assessments/assessment_detail.html", context, status=409)
