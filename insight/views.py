"""Insight pages: a safeguarding lead's organisation, a catalogue admin's partnership, and their CSV downloads.
Figures only (counts of 5 or more, rates of them); every view and download is in the audit trail. Anyone
else, and any organisation or partnership that is not theirs, gets a 404 (ADR 0002)."""

from __future__ import annotations

import csv
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from authorities.http import ActorRequest
from authorities.models import Authority, Organisation

from . import queries, rules, services
from .dashboard import Dashboard, build, csv_rows, quiet_lead_ids
from .forms import RangeForm
from .measures import month_label


@require_GET
def insight_home(request: ActorRequest) -> HttpResponse:
    """Straight to the one page a person has; a choice when they have several."""
    organisations, partnerships = rules.organisations_of(request.actor), rules.partnerships_of(request.actor)
    if len(organisations) + len(partnerships) == 0:
        raise Http404
    if len(organisations) == 1 and not partnerships:
        return redirect("insight-organisation", pk=organisations[0].pk)
    if len(partnerships) == 1 and not organisations:
        return redirect("insight-partnership", slug=partnerships[0].slug)
    return render(request, "insight/choose.html", {"organisations": organisations, "partnerships": partnerships})


def _organisation(request: ActorRequest, pk: int) -> Organisation:
    if not rules.can_see_organisation(request.actor, pk):
        raise Http404
    return next(o for o in rules.organisations_of(request.actor) if o.pk == pk)


def _partnership(request: ActorRequest, slug: str) -> Authority:
    found = next((a for a in rules.partnerships_of(request.actor) if a.slug == slug), None)
    if found is None:
        raise Http404
    return found


@require_GET
def organisation_page(request: ActorRequest, pk: int) -> HttpResponse:
    return _page(request, _organisation(request, pk))


@require_GET
def partnership_page(request: ActorRequest, slug: str) -> HttpResponse:
    return _page(request, _partnership(request, slug))


@require_GET
def organisation_csv(request: ActorRequest, pk: int) -> HttpResponse:
    return _csv(request, _organisation(request, pk))


@require_GET
def partnership_csv(request: ActorRequest, slug: str) -> HttpResponse:
    return _csv(request, _partnership(request, slug))


def _dashboard(scope: Organisation | Authority, months: list[date]) -> Dashboard:
    totals = queries.totals(scope, months)
    if isinstance(scope, Organisation):
        return build(totals, months, scope="organisation", lead_names=queries.lead_names(quiet_lead_ids(totals)))
    return build(totals, months, scope="partnership")


def _page(request: ActorRequest, scope: Organisation | Authority) -> HttpResponse:
    form = RangeForm(request.GET, today=timezone.localdate())
    context = {"scope": scope, "is_organisation": isinstance(scope, Organisation), "form": form}
    if not form.is_valid():
        services.record_view(request.actor, scope, [], purpose="invalid")
        return render(request, "insight/dashboard.html", context | {"dashboard": None}, status=400)
    months = form.months()
    dashboard = _dashboard(scope, months)
    reasons = queries.override_reasons(request.actor, scope, months) if isinstance(scope, Organisation) else []
    services.record_view(request.actor, scope, months, drafts=sorted({r.draft_id for r in reasons}))
    chosen = {"from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}"}
    return render(request, "insight/dashboard.html", context | {
        "form": RangeForm(chosen, today=timezone.localdate()),  # the boxes show the range shown
        "dashboard": dashboard, "reasons": reasons, "span": f"{month_label(months[0])} to {month_label(months[-1])}",
        "refreshed_at": queries.refreshed_at(),
        "csv_url": _csv_url(scope, f"from={chosen['from']}&to={chosen['to']}"),
    })


def _csv_url(scope: Organisation | Authority, query: str) -> str:
    url = (reverse("insight-organisation-csv", args=[scope.pk]) if isinstance(scope, Organisation)
           else reverse("insight-partnership-csv", args=[scope.slug]))
    return f"{url}?{query}" if query else url


def _csv(request: ActorRequest, scope: Organisation | Authority) -> HttpResponse:
    form = RangeForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(f"No figures: {problems}.\n", status=400, content_type="text/plain; charset=utf-8")
    months = form.months()
    dashboard = _dashboard(scope, months)
    refreshed = queries.refreshed_at()
    about = [("Scope", scope.name if isinstance(scope, Organisation) else f"{scope.name} partnership"),
             ("From", f"{months[0]:%Y-%m}"), ("To", f"{months[-1]:%Y-%m}"),
             ("Figures as of", timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M") if refreshed else "not yet built"),
             ("Small numbers", "counts from 1 to 4 are shown as 'fewer than 5'")]
    services.record_view(request.actor, scope, months, csv=True)
    name = f"organisation-{scope.pk}" if isinstance(scope, Organisation) else scope.slug
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insight-{name}-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}.csv"'
    response.write("\ufeff")  # so a spreadsheet opens it as UTF-8
    csv.writer(response).writerows(csv_rows(dashboard, about))
    return response
