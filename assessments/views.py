"""Assessment pages. Thin: parse with forms, call the engine or a service, render."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities import rules
from authorities.http import ActorRequest
from catalogues import search
from catalogues.compare import proposed_ids
from catalogues.models import CatalogueVersion
from core.forms import GovukFormMixin, Radios

from . import presentation, services
from .forms import ChooseLevelForm, NewAssessmentForm, TicksForm, _indicator_label
from .models import Assessment, Comparison


def _assessment(request: ActorRequest, pk: int) -> Assessment:
    """An assessment the user may see, or 404 (never 403: existence must not leak)."""
    return get_object_or_404(
        Assessment.objects.for_user(request.actor)
        .select_related("catalogue_version__authority", "organisation")  # the organisation: for its audit event
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
    if assessment.chosen_level is not None or before.level_number == after.level_number:
        return None  # judged already, or the suggestion did not move: what the page shows stays right
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
        # The same numbers beside each of up to a hundred danger boxes: rendered once, not once a box.
        "danger_contacts": render_to_string("assessments/_danger_contacts.html", {"suggestion": suggestion}),
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
    """The assessment page; a POST saves the ticks. htmx gets the suggestion panel only. The Filter button
    and the search box belong to the ticks form, so a new search (``filter`` in the POST) saves the ticks
    first and then shows the new words' matches, at the search box."""
    assessment = _assessment(request, pk)
    if request.method == "POST":
        form = TicksForm(request.POST, assessment=assessment)
        if not form.is_valid():
            return _refused_ticks(request, assessment, form)
        # Back where the person was: the same filter, at the Save button (the level is in the bar at the
        # foot of the screen), not at the top of the suggestion hundreds of Tabs away from the list. After
        # Filter, the words in the box; at the box if they are new (Filter is the form's default button, so
        # Enter on a box submits through it too, and is then a save like any other).
        filtering = "filter" in request.POST and not request.htmx
        # "Show them all" is a button of the ticks form too (a link would drop a tick not yet saved).
        query = "" if request.POST.get("filter") == "all" else (request.POST if filtering else request.GET).get("q", "")
        place = "#filter" if filtering and query.strip() != request.GET.get("q", "").strip() else "#save-ticks"
        if filtering and _unchanged(form, assessment):
            # Nothing to save (already saved as ticked, or frozen behind a referral): only the search. Not
            # saved again, so a search is not recorded as a change, nor refused for a revision that an
            # autosave from this page has just moved on.
            return redirect(_at(pk, query, place))
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
        return redirect(_at(pk, query, place))
    return _show(request, assessment, query=request.GET.get("q", "")[:200])


def _at(pk: int, query: str, place: str) -> str:
    """The assessment page under a search (none when blank), at a place on it."""
    query = query.strip()[:200]
    return reverse("assessment-detail", args=[pk]) + (f"?{urlencode({'q': query})}" if query else "") + place


def _unchanged(form: TicksForm, assessment: Assessment) -> bool:
    """The posted ticks and ratings are those saved (whatever the revision the page was loaded at)."""
    ratings = form.ratings()
    return (set(form.cleaned_data["tick"]) == set(assessment.ticks)
            and (ratings is None or ratings == (assessment.disability_ratings or {})))


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


# --- how another partnership would see this (docs/comparing-partnerships.md) --------------------------------

class ChoosePartnershipForm(GovukFormMixin, forms.Form):
    partnership = forms.ChoiceField(
        widget=Radios(legend_size="m"), label="Which partnership's guidance do you want to compare with?",
        help_text="For example, where the child goes to school or sees a GP across a border.",
        error_messages={"required": "Select the partnership to compare with",
                        "invalid_choice": "Select one of the partnerships listed"})

    def __init__(self, *args, versions: list[CatalogueVersion], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["partnership"]).choices = [
            (v.authority.slug, v.authority.partnership or v.authority.name) for v in versions]


def _other_version(assessment: Assessment, slug: str) -> CatalogueVersion:
    """The current published version of another partnership, or 404."""
    version = next((v for v in services.other_partnerships(assessment) if v.authority.slug == slug), None)
    if version is None:
        raise Http404
    return version


@require_GET
def assessment_compare(request: ActorRequest, pk: int) -> HttpResponse:
    """Choose the partnership to compare with (a GET form: choosing changes nothing)."""
    assessment = _assessment(request, pk)
    versions = services.other_partnerships(assessment)
    form = ChoosePartnershipForm(request.GET if "partnership" in request.GET else None, versions=versions)
    if form.is_valid():
        return redirect("assessment-compare-match", pk=pk, slug=form.cleaned_data["partnership"])
    services.record_view(request.actor, assessment, purpose="compare")
    return render(request, "assessments/compare_choose.html",
                  {"assessment": assessment, "form": form, "versions": versions,
                   "home": assessment.catalogue_version.catalogue}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def assessment_compare_match(request: ActorRequest, pk: int, slug: str) -> HttpResponse:
    """The home ticks beside their proposed counterparts, pre-ticked for the practitioner to confirm or
    change; "Find" adds others through the same search as the assessment page (the boxes stay as they
    were), "Compare" saves the comparison and shows both suggestions."""
    assessment = _assessment(request, pk)
    version = _other_version(assessment, slug)
    other = version.catalogue
    proposals = services.proposals_for(assessment, version)
    if request.method == "POST" and request.POST.get("action") == "compare":
        comparison = services.save_comparison(request.actor, assessment, version, request.POST.getlist("match"))
        return redirect("assessment-comparison", pk=pk, cpk=comparison.pk)
    if request.method == "POST":
        checked = set(request.POST.getlist("match"))
        query = request.POST.get("q", "")[:200].strip()
    else:
        checked, query = set(proposed_ids(proposals)), ""
    offered = {c.indicator.id for p in proposals for c in p.candidates}
    found = presentation.find(other, unborn=assessment.unborn, query=query) if query else None
    extra_ids = [t for t in checked if t not in offered]  # added earlier through the search
    by_id = {i.id: i for i in other.indicators}
    services.record_view(request.actor, assessment, purpose="compare")
    return render(request, "assessments/compare_match.html", {
        "assessment": assessment, "home": assessment.catalogue_version.catalogue, "other": other,
        "version": version, "proposals": proposals, "checked": checked, "query": query,
        "found": [h.indicator for h in found.hits if h.indicator.id not in offered | set(extra_ids)][:MAX_FOUND]
                 if found else [],
        "found_count": len(found.hits) if found else 0, "found_suggestions": found.suggestions if found else [],
        "added": [by_id[t] for t in extra_ids if t in by_id],
    })


MAX_FOUND = 30  # more than this is a list to narrow, not to read


def _comparison(request: ActorRequest, pk: int, cpk: int) -> tuple[Assessment, Comparison]:
    assessment = _assessment(request, pk)
    comparison = get_object_or_404(
        assessment.comparisons.select_related("other_version__authority").defer("other_version__content"), pk=cpk)
    comparison.assessment = assessment
    return assessment, comparison


@require_GET
def assessment_comparison(request: ActorRequest, pk: int, cpk: int) -> HttpResponse:
    """Both suggestions on one page, as saved, with the differences in the guidance's words."""
    assessment, comparison = _comparison(request, pk, cpk)
    result = services.comparison_result(comparison)
    other = comparison.other_version.catalogue
    by_id = {i.id: i for i in other.indicators}
    confirmed = set(comparison.confirmed)
    proposals = {p["home"]: p for p in comparison.proposed}
    rows = []
    for indicator in result.home.suggestion.ticked:
        p = proposals.get(indicator.id, {"candidates": [], "why": []})
        matched = [(by_id[c], why) for c, why in zip(p["candidates"], p["why"], strict=False)
                   if c in confirmed and c in by_id]
        rows.append({"home": indicator, "matched": matched})
    offered = {c for p in comparison.proposed for c in p["candidates"]}
    started = comparison.started if comparison.started_id else None
    services.record_view(request.actor, assessment, purpose="comparison")
    return render(request, "assessments/comparison.html", {
        "assessment": assessment, "comparison": comparison, "result": result, "rows": rows,
        "sides": [result.home, result.other],
        "added": [by_id[t] for t in comparison.confirmed if t not in offered and t in by_id],
        "started": started if started and started.owner_id == request.actor.pk else None,
        "can_start": rules.can_start_work(request.actor),
    })


@require_POST
def assessment_comparison_start(request: ActorRequest, pk: int, cpk: int) -> HttpResponse:
    """A new assessment with the other partnership's guidance, the confirmed ticks and the same child: the
    draft made from it then follows that partnership's route and consent rule."""
    if not rules.can_start_work(request.actor):
        raise Http404
    _home, comparison = _comparison(request, pk, cpk)
    started = services.start_from_comparison(request.actor, comparison)
    messages.success(request, f"This assessment uses {started.authority.name}'s guidance, with the concerns you "
                              "confirmed ticked. Check them, then start the referral draft from here.")
    return redirect("assessment-detail", pk=started.pk)
