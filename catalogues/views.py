"""Catalogue pages: the emergency routes (everyone signed in), and administration for catalogue admins
of the authority only (404 for anyone else)."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities import rules
from authorities.http import ActorRequest
from authorities.models import AuditEvent, Authority
from core import paging
from core.errors import NotAllowed

from . import services as svc
from .diff import diff, example_impact
from .files import CatalogueFileError, dump_catalogue
from .forms import IndicatorForm, SectionForm, UploadForm
from .models import CatalogueVersion
from .queries import emergency_routes
from .search import Hit, search

MAX_UPLOAD = 5 * 1024 * 1024  # the file reader refuses anything larger, with that message


@require_GET
def emergency(request: ActorRequest) -> HttpResponse:
    """Every partnership's emergency route with who is open now: the child's partnership first when the
    page is reached from the child's assessment or draft (``?partnership=<slug>``), else the user's own,
    else in alphabetical order. An unknown slug is ignored: this page must always answer."""
    slug = request.GET.get("partnership", "")
    child = Authority.objects.filter(slug=slug).first() if slug else None
    first = child or request.actor.home_authority
    routes = emergency_routes(first)
    shown_first = routes[0] if first is not None and routes and routes[0].slug == first.slug else None
    return render(request, "emergency.html", {
        "routes": routes, "shown_first": shown_first,
        "first_is": ("the child's partnership" if child is not None and shown_first is not None
                     else "your partnership" if shown_first is not None else ""),
    })


def _authority(request: ActorRequest, slug: str) -> Authority:
    authority = get_object_or_404(Authority, slug=slug)
    if not rules.can_administer_catalogue(request.actor, authority.pk):
        raise Http404
    return authority


def _draft(authority: Authority) -> CatalogueVersion:
    draft = CatalogueVersion.objects.draft_for(authority)
    if draft is None:
        raise Http404
    return draft


@require_GET
def catalogue_admin(request: ActorRequest) -> HttpResponse:
    if not rules.can_use_catalogue_admin(request.actor):
        raise Http404
    # Two queries whatever the number of partnerships: their versions without content (the parsed
    # catalogue comes from the per-process cache), the newest published and the draft picked here.
    authorities = list(Authority.objects.filter(pk__in=request.actor.admin_authority_ids).order_by("name"))
    versions = CatalogueVersion.objects.filter(authority__in=authorities).defer("content").order_by("number")
    current: dict[int, CatalogueVersion] = {}
    drafts: dict[int, CatalogueVersion] = {}
    for v in versions:
        (drafts if v.status == CatalogueVersion.Status.DRAFT else current)[v.authority_id] = v
    rows = [{"authority": a, "current": current.get(a.pk), "draft": drafts.get(a.pk)} for a in authorities]
    return render(request, "catalogues/index.html", {"rows": rows, "upload_form": UploadForm()})


@require_POST
def draft_start(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    svc.start_draft(request.actor, authority)
    return redirect("catalogue-draft", slug=slug)


def _draft_context(authority: Authority, draft: CatalogueVersion) -> dict:
    current = CatalogueVersion.objects.current_for(authority)
    if current is None:  # a draft starts from the published version, so there is one
        raise Http404
    before, after = current.catalogue, draft.catalogue
    return {"authority": authority, "draft": draft, "current": current, "catalogue": after,
            "diff": diff(before, after), "impact": example_impact(before, after),
            "sections": svc.EDITABLE_SECTIONS}


@require_GET
def draft_detail(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    draft = _draft(authority)
    context = _draft_context(authority, draft)
    q = request.GET.get("q", "")[:200].strip()
    indicators = context["catalogue"].indicators  # retired ones too: the admin may restore them
    found = search(indicators, q)
    by_id = [Hit(i, ()) for i in indicators if q and i.id == q.lower()]  # an exact id finds its indicator
    hits = by_id or found.hits
    # Pages of INDICATOR_PAGE: the whole list made a page of over half a megabyte (four forms a row).
    context["page"] = Paginator(hits, INDICATOR_PAGE).get_page(request.GET.get("page"))
    context["hits"] = hits
    context["found"] = found
    context["query"] = q
    return render(request, "catalogues/draft.html", context)


INDICATOR_PAGE = 50


def _back_to(slug: str, draft: CatalogueVersion, indicator_id: str) -> HttpResponse:
    """The draft's page holding the indicator just acted on, scrolled to it."""
    ids = [i.id for i in draft.catalogue.indicators]
    where = ids.index(indicator_id) if indicator_id in ids else 0
    return redirect(f"{reverse('catalogue-draft', args=[slug])}?page={where // INDICATOR_PAGE + 1}#ind-{indicator_id}")


@require_http_methods(["GET", "POST"])
def indicator_edit(request: ActorRequest, slug: str, indicator_id: str | None = None) -> HttpResponse:
    authority = _authority(request, slug)
    draft = _draft(authority)
    catalogue = draft.catalogue
    new = indicator_id is None
    item = None if new else next((i for i in draft.content["indicators"] if i["id"] == indicator_id), None)
    if not new and item is None:
        raise Http404
    initial = {"applies_to": "any"} if item is None else IndicatorForm.initial_from(item)
    form = IndicatorForm(request.POST or None, initial=initial, catalogue=catalogue, new=new)
    if request.method == "POST" and form.is_valid():
        try:
            if indicator_id is None:
                svc.add_indicator(request.actor, draft, form.values())
            else:
                values = form.values()
                values.pop("id")
                svc.edit_indicator(request.actor, draft, indicator_id, values)
        except svc.Invalid as exc:
            form.add_schema_errors(exc.problems)
        else:
            messages.success(request, "Indicator saved in the draft.")
            return redirect("catalogue-draft", slug=slug)
    return render(request, "catalogues/indicator.html",
                  {"authority": authority, "draft": draft, "form": form, "new": new, "item": item},
                  status=400 if form.errors else 200)


@require_POST
def indicator_action(request: ActorRequest, slug: str, indicator_id: str, action: str) -> HttpResponse:
    authority = _authority(request, slug)
    draft = _draft(authority)
    try:
        if action == "retire":
            svc.retire_indicator(request.actor, draft, indicator_id, True)
        elif action == "restore":
            svc.retire_indicator(request.actor, draft, indicator_id, False)
        elif action in ("up", "down"):
            svc.move_indicator(request.actor, draft, indicator_id, -1 if action == "up" else 1)
        else:
            raise Http404
    except svc.Invalid as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    draft.refresh_from_db()
    return _back_to(slug, draft, indicator_id)


@require_http_methods(["GET", "POST"])
def section_edit(request: ActorRequest, slug: str, section: str) -> HttpResponse:
    authority = _authority(request, slug)
    draft = _draft(authority)
    if section not in svc.EDITABLE_SECTIONS:
        raise Http404
    initial = {"content": json.dumps(draft.content.get(section), ensure_ascii=False, indent=2)}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.replace_section(request.actor, draft, section, form.cleaned_data["content"])
        except svc.Invalid as exc:
            for p in exc.problems:
                form.add_error("content", f"{p.place}: {p.message}")
        else:
            messages.success(request, f"{section.replace('_', ' ').capitalize()} saved in the draft.")
            return redirect("catalogue-draft", slug=slug)
    return render(request, "catalogues/section.html",
                  {"authority": authority, "draft": draft, "form": form, "section": section},
                  status=400 if form.errors else 200)


@require_POST
def draft_publish(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    try:
        version = svc.publish(request.actor, _draft(authority))
    except (NotAllowed, svc.Invalid) as exc:
        messages.error(request, str(exc))
        return redirect("catalogue-draft", slug=slug)
    messages.success(request, f"Version {version.number} is published. New assessments use it; earlier ones "
                              "keep their own version.")
    return redirect("catalogue-admin")


@require_POST
def draft_discard(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    svc.discard(request.actor, _draft(authority))
    messages.success(request, "The draft was discarded.")
    return redirect("catalogue-admin")


@require_http_methods(["GET", "POST"])
def catalogue_upload(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"authority": authority, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft, _ = svc.upload(request.actor, authority, upload.read(MAX_UPLOAD + 1), upload.name)
        except CatalogueFileError as exc:
            context["refusal"] = exc
            return render(request, "catalogues/upload.html", context, status=400)
        except NotAllowed as exc:  # e.g. no published version yet to compare a draft with
            form.add_error("file", str(exc))
            return render(request, "catalogues/upload.html", context, status=400)
        if draft is None:
            messages.success(request, "The file is the same as the published version: nothing to apply.")
            return redirect("catalogue-admin")
        messages.success(request, "The file is valid. It is now the draft: check the changes, then publish.")
        return redirect("catalogue-draft", slug=slug)
    return render(request, "catalogues/upload.html", context, status=400 if form.errors else 200)


@require_GET
def catalogue_download(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    version = CatalogueVersion.objects.current_for(authority)
    if version is None:  # nothing published yet
        raise Http404
    response = HttpResponse(dump_catalogue(version.catalogue), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return response


HISTORY_PAGE = 100


@require_GET
def catalogue_history(request: ActorRequest, slug: str) -> HttpResponse:
    authority = _authority(request, slug)
    # The versions without their content (each holds the whole catalogue), and the changes a page at a time.
    versions = {str(v.pk): v for v in CatalogueVersion.objects.filter(authority=authority)
                .select_related("created_by").defer("content").order_by("pk")}
    events = AuditEvent.objects.filter(action__startswith="catalogue.", object_type=CatalogueVersion._meta.label_lower,
                                       object_id__in=list(versions)).select_related("actor")
    indicator = request.GET.get("indicator", "")[:80]
    if indicator:
        events = events.filter(detail__indicator=indicator)
    page = paging.page(events, before=request.GET.get("before", ""), after=request.GET.get("after", ""),
                       size=HISTORY_PAGE)
    rows = [{"event": e, "version": versions.get(e.object_id)} for e in page.rows]
    return render(request, "catalogues/history.html",
                  {"authority": authority, "rows": rows, "indicator": indicator, "versions": versions.values(),
                   "page": page, "filters": f"indicator={quote(indicator)}&" if indicator else ""})
