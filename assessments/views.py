"""Assessment pages. Thin: parse with forms, call the engine or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities import rules
from authorities.http import ActorRequest
from catalogues import search

from . import presentation, services
from .forms import ChooseLevelForm, NewAssessmentForm, TicksForm, _indicator_label
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


def _alarming(suggestion) -> bool:
    """Immediate danger or a child-protection concern: the route to phone now is shown and announced."""
    return bool(suggestion.immediate_danger or suggestion.child_protection)


def _judgement_level(request: ActorRequest, assessment: Assessment, before, after):
    """Until a judgement is saved, the level to judge follows the suggestion as ticks change, so saving
    it records the level the person sees; a level they picked themselves (not the old suggestion) stays."""
    if assessment.chosen_level is not None:
        return None
    picked = request.POST.get("level", "")
    keep = picked.isdigit() and int(picked) != before.level_number
    levels = assessment.catalogue_version.catalogue.levels
    form = ChooseLevelForm(levels=levels, suggested=after.level_number,
                           initial={"level": int(picked) if keep else after.level_number})
    return form["level"]


def _page_context(assessment: Assessment, suggestion, query: str = "", ticks_data=None) -> dict:
    """The whole page; `ticks_data` is a refused tick post, shown again with its errors."""
    catalogue = assessment.catalogue_version.catalogue
    level = suggestion.level_number
    found = presentation.find(catalogue, unborn=assessment.unborn, query=query)
    sections = presentation.sections(catalogue, unborn=assessment.unborn, found=found)
    ticks_form = TicksForm(ticks_data, assessment=assessment, sections=sections, query=query)
    _mark_matches(ticks_form, found)
    return _panel_context(assessment, suggestion) | {
        "version": assessment.catalogue_version,
        "query": query,
        "found": found,
        "found_said": presentation.matches_said(len(found.hits)),
        "ticks_form": ticks_form,
        "unborn_lists": presentation.lists_of_kind(catalogue, "unborn_risk_factors") if assessment.unborn else [],
        "special_lists": presentation.lists_of_kind(catalogue, "special_circumstances"),
        "matrix": catalogue.disability_matrix,
        "level_form": ChooseLevelForm(
            levels=catalogue.levels, suggested=level,
            initial={"level": assessment.chosen_level or level, "reason": assessment.chosen_reason},
        ),
        "chosen_level": next((lv for lv in catalogue.levels if lv.number == assessment.chosen_level), None),
    }


def _mark_matches(ticks_form: TicksForm, found: search.Result) -> None:
    """Without JavaScript, the words a search matched are marked in the labels of the boxes it shows."""
    if not found.query:
        return
    hits = {h.indicator.id: h for h in found.hits}
    for section in ticks_form.sections:
        for group in section.groups:
            for box in group.boxes:
                hit = hits.get(box["value"])
                if hit is not None and hit.spans:
                    box["label"] = _indicator_label(hit.indicator, hit.spans)


@require_GET
def assessment_indicator_search(request: ActorRequest, pk: int) -> JsonResponse:
    """The live filter's answer, from the same search as the Filter button: the ids of the indicators the
    words find, each label with the matches marked, the count to announce, and what to try when nothing is
    found. Only catalogue text goes back (no ticks, no child), so a keystroke is not audited as a view of
    the case; but it is scoped like the page, so nobody can probe an assessment they cannot see (404)."""
    assessment = _assessment(request, pk)
    query = request.GET.get("q", "")[:200]
    found = presentation.find(assessment.catalogue_version.catalogue, unborn=assessment.unborn, query=query)
    return JsonResponse({
        "query": query,
        "count": len(found.hits),
        "said": presentation.matches_said(len(found.hits)),
        # Put into the page as HTML: the guidance's words escaped here, whether or not anything is marked.
        "labels": {h.indicator.id: str(conditional_escape(_indicator_label(h.indicator, h.spans)))
                   for h in found.hits},
        "suggestions": found.suggestions,
    })


def _show(request: ActorRequest, assessment: Assessment, *, status: int = 200, action: str = "assessment.view",
          purpose: str = "", query: str = "", ticks_data=None, level_form=None) -> HttpResponse:
    """Render the assessment page: one audit event for every response that shows it, whatever its status."""
    services.record_view(request.actor, assessment, action, purpose=purpose)
    context = _page_context(assessment, services.suggestion_for(assessment), query, ticks_data=ticks_data)
    if level_form is not None:
        context["level_form"] = level_form
    return render(request, "assessments/assessment_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assessment_detail(request: ActorRequest, pk: int) -> HttpResponse:
    """The assessment page; a POST saves the ticks. htmx gets the suggestion panel only."""
    assessment = _assessment(request, pk)
    if request.method == "POST":
        form = TicksForm(request.POST, assessment=assessment)
        if not form.is_valid():
            return _refused_ticks(request, assessment, form)
        before = services.suggestion_for(assessment)
        try:
            suggestion = services.save_ticks(request.actor, assessment, form.cleaned_data["tick"], form.ratings(),
                                             expected_revision=form.cleaned_data["revision"])
        except services.StaleTicks as exc:
            return _refused(request, exc.current, "stale", STALE_MESSAGE)
        except services.Locked as exc:
            return _refused(request, assessment, "locked", str(exc), title="This assessment cannot change now")
        if request.htmx:
            return render(request, "assessments/_tick_saved.html", _panel_context(assessment, suggestion) | {
                "danger_is_new": _alarming(suggestion) and not _alarming(before),
                "judgement_level": _judgement_level(request, assessment, before, suggestion)})
        # Back where the person was: the same filter, at the Save button (the level is in the bar at the
        # foot of the screen), not at the top of the suggestion hundreds of Tabs away from the list.
        query = request.GET.get("q", "")[:200]
        return redirect(reverse("assessment-detail", args=[pk]) + (f"?{urlencode({'q': query})}" if query else "")
                        + "#save-ticks")
    return _show(request, assessment, query=request.GET.get("q", "")[:200])


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
            return _refused(request, assessment, "locked", str(exc), title="This assessment cannot change now")
        messages.success(request, "Your judgement of the level is saved.")
        return redirect(reverse("assessment-detail", args=[pk]) + "#judgement")
    return _show(request, assessment, status=400, purpose="invalid_level", level_form=form)


def _refused_ticks(request: ActorRequest, assessment: Assessment, form: TicksForm) -> HttpResponse:
    """A tick post the form refused (an id the catalogue version does not know, a bad rating): nothing is
    saved; the page (or, for htmx, the status) says what to do."""
    if request.htmx:  # not swapped in (a 400): only a tampered or broken page gets here
        services.record_view(request.actor, assessment, "assessment.change_refused", purpose="invalid")
        return render(request, "includes/error_summary.html", {"form": form}, status=400)
    return _show(request, assessment, status=400, purpose="invalid_ticks", ticks_data=request.POST)


STALE_MESSAGE = ("These ticks were changed in another tab or on another device since this page was loaded, so "
                 "your last change was not saved. The page now shows the saved ticks: make your change again.")


def _refused(request: ActorRequest, assessment: Assessment, why: str, message: str, title: str = "") -> HttpResponse:
    """A change refused (409): saved elsewhere since the page loaded, or frozen behind a submitted
    referral. Nothing is overwritten; the refusal is audited and said where the person is looking."""
    if request.htmx:
        services.record_view(request.actor, assessment, "assessment.change_refused", purpose=why)
        return render(request, "assessments/_change_refused.html",
                      {"message": message, "assessment": assessment, "title": title}, status=409)
    messages.error(request, message)
    return _show(request, assessment, status=409, action="assessment.change_refused", purpose=why)
