"""The JSON API, /api/v1/ (docs/api.md). Views are thin: reads go through the scoped querysets, writes
through the apps' services, and every call made with a token is audited under the token's organisation.

Public (no personal data, limited per address, nothing stored): partnerships, their catalogue versions and a
version's levels, domains, indicators and contacts; POST /suggest. With a token: assessments and drafts."""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from assessments import services as assessment_services
from assessments.models import Assessment
from authorities.actor import Actor
from authorities.client_ip import client_ip
from authorities.models import Authority
from catalogues.contacts import LONDON, is_open
from catalogues.engine import ContactNow, Context, Suggestion, suggest
from catalogues.models import CatalogueVersion
from catalogues.schema import Catalogue
from core.errors import NotAllowed
from referrals import national
from referrals import services as referral_services
from referrals.models import Draft, Submission

from . import problems, services
from .models import ApiToken, Scope
from .problems import ApiProblem
from .schemas import (
    ApprovedOut,
    AssessmentIn,
    AssessmentOut,
    ContactPage,
    DomainPage,
    DraftOut,
    DraftPage,
    IndicatorPage,
    LevelPage,
    PartnershipPage,
    Problem,
    SuggestIn,
    SuggestionOut,
    TicksIn,
    VersionPage,
)

logger = logging.getLogger(__name__)


class ProblemApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None):
        """Errors are documented as application/problem+json, which is what they are sent as."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) >= 400 and "application/json" in answer.get("content", {}):
                        answer["content"] = {problems.PROBLEM: answer["content"]["application/json"]}
        return schema


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> tuple[ApiToken, Actor]:
        return services.authenticate(token)


api = ProblemApi(
    title="Threshold decision support API", version="1", urls_namespace="api-v1", docs_url=None,
    description="Partnerships' threshold guidance and the level engine (public), and an organisation's "
                "assessments and referrals (with a token). Errors are application/problem+json. See docs/api.md.",
)


def _errors(*codes: int) -> dict[int, type[Problem]]:
    return {code: Problem for code in codes}


PUBLIC_ERRORS = _errors(400, 404, 413, 422, 429)
TOKEN_ERRORS = _errors(400, 401, 403, 404, 413, 422)
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}


# --- errors ---------------------------------------------------------------------------------------------

@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problems.from_exception(exc)


@api.exception_handler(services.TokenRefused)
def _token_refused(request: HttpRequest, exc: services.TokenRefused) -> HttpResponse:
    return problems.response(401, str(exc), slug="token", headers=WWW_AUTHENTICATE)


@api.exception_handler(AuthenticationError)
def _no_token(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problems.response(401, "Send an API token: Authorization: Bearer <token>.", slug="token",
                             headers=WWW_AUTHENTICATE)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": problems.field_name(e.get("loc", ())), "detail": str(e.get("msg", "invalid"))}
              for e in exc.errors]
    first = errors[0] if errors else {"field": "body", "detail": "invalid"}
    return problems.response(422, f"{first['field']}: {first['detail']}", field=first["field"], errors=errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = "The body is not valid JSON." if exc.status_code == 400 else str(exc)
    return problems.response(exc.status_code, detail)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.response(404, "Not found.")


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return problems.response(500, "Something went wrong on our side; it has been logged.")


# --- helpers --------------------------------------------------------------------------------------------

def _limit(request: HttpRequest) -> None:
    """Public calls: at most API_PUBLIC_REQUESTS_PER_MINUTE per address a minute (Django's cache)."""
    window = int(time.time() // 60)
    key = f"api-rate:{client_ip(request)}:{window}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        count = 1
    if count > settings.API_PUBLIC_REQUESTS_PER_MINUTE:
        raise ApiProblem(429, f"At most {settings.API_PUBLIC_REQUESTS_PER_MINUTE} requests a minute from one "
                              "address: wait and try again.", headers={"Retry-After": str(60 - int(time.time()) % 60)})


def _page(items: list, page: int, page_size: int) -> dict[str, Any]:
    pages = max(1, math.ceil(len(items) / page_size))
    start = (page - 1) * page_size
    return {"count": len(items), "page": page, "page_size": page_size, "pages": pages,
            "items": items[start:start + page_size]}


PAGE = Query(1, ge=1, le=100000)
PAGE_SIZE = Query(50, ge=1, le=settings.API_PAGE_SIZE_MAX, description=f"At most {settings.API_PAGE_SIZE_MAX}")


def _versions(slug: str):
    return CatalogueVersion.objects.published().filter(authority__slug=slug).defer("content").order_by("-number")


def _version(slug: str, number: int | None) -> CatalogueVersion:
    versions = _versions(slug).select_related("authority")
    found = versions.filter(number=number).first() if number is not None else versions.first()
    if found is None:
        raise ApiProblem(404, f"No published version {number} of partnership {slug!r}." if number else
                         f"No partnership {slug!r} with published guidance.")
    return found


def _when(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    return at if timezone.is_aware(at) else timezone.make_aware(at, LONDON)


def _known_ticks(catalogue: Catalogue, ticks: list[str]) -> list[str]:
    known = {i.id for i in catalogue.indicators}
    unknown = [(n, t) for n, t in enumerate(ticks) if t not in known]
    if unknown:
        errors = [{"field": f"ticks[{n}]", "detail": f"{t!r} is not an indicator of this catalogue version"}
                  for n, t in unknown[:20]]
        raise ApiProblem(422, errors[0]["detail"], field=errors[0]["field"], errors=errors)
    return list(dict.fromkeys(ticks))


def _suggestion(suggestion: Suggestion, version: CatalogueVersion, at: datetime) -> dict[str, Any]:
    return {**suggestion.as_json(), "partnership": version.authority.slug, "version": version.number, "at": at}


def _caller(request: HttpRequest, scope: str) -> tuple[ApiToken, Actor]:
    """The token and the actor it acts as, refused (403, audited) without the scope; checked before any
    record is looked up, so the answer says nothing about what exists."""
    token, actor = request.auth  # type: ignore[attr-defined]
    if not token.allows(scope):
        services.record_call(actor, token, "api.scope_refused", purpose="not_allowed",
                             detail={"scope": scope, "path": request.path[:200]})
        raise ApiProblem(403, f"This token does not have the {scope!r} scope.", slug="scope")
    return token, actor


def _missing(request: HttpRequest, token: ApiToken, actor: Actor, what: str) -> ApiProblem:
    """Not found, or not the token's to see (ADR 0002: the same answer), audited like the 404 page."""
    services.record_call(actor, token, "access.denied", purpose="not_found", detail={"path": request.path[:200]})
    return ApiProblem(404, f"No {what} with this id that this token may see.")


def _assessments(actor: Actor, token: ApiToken):
    return Assessment.objects.for_user(actor).filter(organisation=token.organisation) \
        .select_related("catalogue_version__authority").defer("catalogue_version__content")


def _drafts(actor: Actor, token: ApiToken):
    return Draft.objects.for_user(actor).filter(organisation=token.organisation)


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    version = assessment.catalogue_version
    return {
        "id": assessment.pk, "partnership": version.authority.slug, "version": version.number,
        "mode": assessment.mode, "child_name": assessment.child_name, "date_of_birth": assessment.date_of_birth,
        "due_date": assessment.due_date, "reference": assessment.reference, "ticks": assessment.ticks,
        "revision": assessment.revision, "locked": assessment.locked, "suggested_level": assessment.suggested_level,
        "chosen_level": assessment.chosen_level, "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
        "suggestion": _suggestion(assessment_services.suggestion_for(assessment), version, timezone.now()),
    }


def _draft_summary(draft: Draft) -> dict[str, Any]:
    return {"id": draft.pk, "status": draft.status, "assessment": draft.assessment_id, "child_name": draft.child_name,
            "submitted_at": draft.submitted_at, "updated_at": draft.updated_at}


# --- public: the guidance and the engine ----------------------------------------------------------------

@api.get("/partnerships", response={200: PartnershipPage, **PUBLIC_ERRORS}, tags=["guidance"])
def partnerships(request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE):
    """Partnerships with published guidance, and their current version."""
    _limit(request)
    rows = []
    for authority in Authority.objects.filter(catalogue_versions__status="published").distinct().order_by("name"):
        current = _versions(authority.slug).first()
        rows.append({"slug": authority.slug, "name": authority.name, "partnership": authority.partnership,
                     "current_version": current.number if current else None})
    return _page(rows, page, page_size)


@api.get("/partnerships/{slug}/versions", response={200: VersionPage, **PUBLIC_ERRORS}, tags=["guidance"])
def versions(request: HttpRequest, slug: str, page: int = PAGE, page_size: int = PAGE_SIZE):
    """A partnership's published catalogue versions, newest first."""
    _limit(request)
    found = list(_versions(slug).select_related("authority"))
    if not found:
        raise ApiProblem(404, f"No partnership {slug!r} with published guidance.")
    rows = [{"number": v.number, "published_at": v.published_at, "content_hash": v.content_hash,
             "document_title": v.catalogue.document.title, "document_edition": v.catalogue.document.edition}
            for v in found]
    return _page(rows, page, page_size)


@api.get("/partnerships/{slug}/versions/{int:number}/levels", response={200: LevelPage, **PUBLIC_ERRORS},
         tags=["guidance"])
def levels(request: HttpRequest, slug: str, number: int, page: int = PAGE, page_size: int = PAGE_SIZE):
    _limit(request)
    catalogue = _version(slug, number).catalogue
    rows = [{"number": lv.number, "code": lv.shown_code, "label": lv.label, "band": lv.band,
             "also_bands": list(lv.also_bands), "name": lv.name, "description": lv.description,
             "route_kind": lv.response.route_kind, "route": lv.response.route, "assessment": lv.response.assessment,
             "lead": lv.response.lead, "consent": lv.consent.consent, "source": lv.source} for lv in catalogue.levels]
    return _page(rows, page, page_size)


@api.get("/partnerships/{slug}/versions/{int:number}/domains", response={200: DomainPage, **PUBLIC_ERRORS},
         tags=["guidance"])
def domains(request: HttpRequest, slug: str, number: int, page: int = PAGE, page_size: int = PAGE_SIZE):
    _limit(request)
    catalogue = _version(slug, number).catalogue
    rows = [{"id": d.id, "name": d.name, "source": d.source,
             "subdomains": [{"id": s.id, "name": s.name} for s in d.subdomains]} for d in catalogue.domains]
    return _page(rows, page, page_size)


@api.get("/partnerships/{slug}/versions/{int:number}/indicators", response={200: IndicatorPage, **PUBLIC_ERRORS},
         tags=["guidance"])
def indicators(request: HttpRequest, slug: str, number: int, page: int = PAGE, page_size: int = PAGE_SIZE):
    """The indicators, in the catalogue's order, with their national codes and shared-vocabulary concepts."""
    _limit(request)
    catalogue = _version(slug, number).catalogue
    rows = [{"id": i.id, "text": i.text, "level": i.level, "domain": i.domain, "subdomain": i.subdomain,
             "applies_to": i.applies_to,
             "child_protection": i.child_protection is not None and i.child_protection.decisive,
             "immediate_danger": i.immediate_danger is not None, "codes": list(i.codes),
             "concepts": list(i.concepts), "retired": i.retired, "source": i.source} for i in catalogue.indicators]
    return _page(rows, page, page_size)


@api.get("/partnerships/{slug}/versions/{int:number}/contacts", response={200: ContactPage, **PUBLIC_ERRORS},
         tags=["guidance"])
def contacts(request: HttpRequest, slug: str, number: int, at: datetime | None = None, page: int = PAGE,
             page_size: int = PAGE_SIZE):
    """The partnership's contacts, with open_now at `at` (default: now; Europe/London when no offset)."""
    _limit(request)
    catalogue = _version(slug, number).catalogue
    when = _when(at)
    rows = [ContactNow(c, is_open(c, when)).as_json() for c in catalogue.contacts]
    return _page(rows, page, page_size)


@api.post("/suggest", response={200: SuggestionOut, **PUBLIC_ERRORS}, tags=["guidance"])
def suggest_level(request: HttpRequest, payload: SuggestIn):
    """The level engine: ticks in, the suggestion out (level, reasons, flags, pathway, consent, contacts
    open at `at`). Nothing is stored."""
    _limit(request)
    version = _version(payload.partnership, payload.version)
    catalogue = version.catalogue
    ticks = _known_ticks(catalogue, payload.ticks)
    when = _when(payload.at)
    return _suggestion(suggest(catalogue, ticks, Context(unborn=payload.unborn, now=when)), version, when)


# --- with a token: assessments --------------------------------------------------------------------------

auth = TokenAuth()


@api.post("/assessments", auth=auth, response={201: AssessmentOut, **TOKEN_ERRORS, **_errors(409)},
          tags=["assessments"])
def create_assessment(request: HttpRequest, payload: AssessmentIn):
    """Start an assessment (scope create_assessments). It belongs to the lead who issued the token. Send an
    Idempotency-Key header: a retry with the same key returns the same assessment, never a second one."""
    token, actor = _caller(request, Scope.CREATE_ASSESSMENTS)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        raise ApiProblem(422, "Idempotency-Key is at most 200 characters.", field="Idempotency-Key")
    authority = token.organisation.authority
    if payload.partnership:
        found = Authority.objects.filter(slug=payload.partnership).first()
        if found is None or CatalogueVersion.objects.current_for(found) is None:
            raise ApiProblem(422, f"No partnership {payload.partnership!r} with published guidance.",
                             field="partnership")
        authority = found
    child = _child(payload)
    try:
        assessment, _made = services.create_assessment(actor, token, authority, key or None, **child)
    except services.KeyReused:
        raise ApiProblem(409, "This Idempotency-Key was used for a different request: use a new key.",
                         slug="idempotency-key") from None
    except NotAllowed as exc:
        raise ApiProblem(403, str(exc)) from None
    assessment = _assessments(actor, token).get(pk=assessment.pk)
    return Status(201, _assessment_json(assessment))


def _child(payload: AssessmentIn) -> dict[str, Any]:
    """The same rules as the page's form (assessments.forms.NewAssessmentForm), said with the field."""
    name = payload.child_name.strip()
    if payload.mode == "consultation":
        if name or payload.date_of_birth or payload.due_date:
            raise ApiProblem(422, "A consultation holds no child details: remove them, or use mode 'named'.",
                             field="child_name" if name else ("date_of_birth" if payload.date_of_birth else "due_date"))
    else:
        if not name:
            raise ApiProblem(422, "Enter the child's full name.", field="child_name")
        if not payload.date_of_birth and not payload.due_date:
            raise ApiProblem(422, "Enter the date of birth, or the expected due date for an unborn child.",
                             field="date_of_birth")
        if payload.date_of_birth and payload.due_date:
            raise ApiProblem(422, "Enter either a date of birth or an expected due date, not both.", field="due_date")
        if payload.date_of_birth and payload.date_of_birth > timezone.localdate():
            raise ApiProblem(422, "The date of birth must be in the past.", field="date_of_birth")
    return {"mode": payload.mode, "child_name": name, "date_of_birth": payload.date_of_birth,
            "due_date": payload.due_date, "reference": payload.reference.strip()}


@api.get("/assessments/{int:assessment_id}", auth=auth, response={200: AssessmentOut, **TOKEN_ERRORS},
         tags=["assessments"])
def get_assessment(request: HttpRequest, assessment_id: int):
    """An assessment with its suggestion, recomputed from its ticks as the page does (scope read)."""
    token, actor = _caller(request, Scope.READ)
    assessment = _assessments(actor, token).filter(pk=assessment_id).first()
    if assessment is None:
        raise _missing(request, token, actor, "assessment")
    assessment_services.record_view(actor, assessment)
    return _assessment_json(assessment)


@api.put("/assessments/{int:assessment_id}/ticks", auth=auth,
         response={200: AssessmentOut, **TOKEN_ERRORS, **_errors(409)}, tags=["assessments"])
def save_ticks(request: HttpRequest, assessment_id: int, payload: TicksIn):
    """Replace the ticks (scope create_assessments), with the revision read: a save made since is refused
    (409, with the current revision), as is a change to an assessment frozen behind a submitted referral."""
    token, actor = _caller(request, Scope.CREATE_ASSESSMENTS)
    assessment = _assessments(actor, token).filter(pk=assessment_id).first()
    if assessment is None:
        raise _missing(request, token, actor, "assessment")
    ticks = _known_ticks(assessment.catalogue_version.catalogue, payload.ticks)
    try:
        assessment_services.save_ticks(actor, assessment, ticks, expected_revision=payload.revision)
    except assessment_services.StaleTicks as exc:
        raise ApiProblem(409, f"The assessment was saved since revision {payload.revision}: read it again "
                              f"(revision {exc.current.revision}) and send the ticks again.", slug="stale") from None
    except NotAllowed as exc:  # Locked, or not the owner's
        raise ApiProblem(409, str(exc), slug="locked") from None
    return _assessment_json(assessment)


# --- with a token: referral drafts ----------------------------------------------------------------------

@api.get("/drafts", auth=auth, response={200: DraftPage, **TOKEN_ERRORS}, tags=["drafts"])
def list_drafts(request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE):
    """The organisation's drafts this token may see (scope read_drafts): those submitted for review and
    after, as the organisation's safeguarding lead sees them, and the issuing lead's own."""
    token, actor = _caller(request, Scope.READ_DRAFTS)
    drafts = _drafts(actor, token).order_by("-updated_at", "-pk")
    start = (page - 1) * page_size
    count = drafts.count()
    rows = [_draft_summary(d) for d in drafts.only("pk", "status", "assessment_id", "child_name", "submitted_at",
                                                   "updated_at")[start:start + page_size]]
    services.record_call(actor, token, "api.draft_list", detail={"page": page, "shown": len(rows)})
    return {"count": count, "page": page, "page_size": page_size, "pages": max(1, math.ceil(count / page_size)),
            "items": rows}


def _draft(request: HttpRequest, token: ApiToken, actor: Actor, draft_id: int) -> Draft:
    draft = _drafts(actor, token).select_related("assessment__catalogue_version__authority").filter(pk=draft_id).first()
    if draft is None:
        raise _missing(request, token, actor, "draft")
    return draft


@api.get("/drafts/{int:draft_id}", auth=auth, response={200: DraftOut, **TOKEN_ERRORS}, tags=["drafts"])
def get_draft(request: HttpRequest, draft_id: int):
    """A draft as it prints now (scope read_drafts): the frozen submission once submitted."""
    token, actor = _caller(request, Scope.READ_DRAFTS)
    draft = _draft(request, token, actor, draft_id)
    shown, state, digest = referral_services.printable(draft)
    referral_services.record_access(actor, draft, "view")
    return {**_draft_summary(draft), "revision": draft.revision, "state": state, "content_hash": digest,
            "record": shown, "decision_outcome": draft.decision_outcome or None, "decision_on": draft.decision_on,
            "closure": draft.closure or None}


@api.get("/drafts/{int:draft_id}/approved", auth=auth, response={200: ApprovedOut, **TOKEN_ERRORS},
         tags=["drafts"])
def get_approved(request: HttpRequest, draft_id: int):
    """The approved referral (scope read_drafts): the latest approved submission's frozen record and its
    hash, the snapshot the PDF prints. 404 until the lead has approved it."""
    token, actor = _caller(request, Scope.READ_DRAFTS)
    draft = _draft(request, token, actor, draft_id)
    submission = draft.submissions.filter(outcome=Submission.Outcome.APPROVED).select_related("reviewed_by") \
        .order_by("-number").first()
    if submission is None:
        raise ApiProblem(404, "This draft has no approved referral yet.", slug="not-approved")
    referral_services.record_access(actor, draft, "api_approved")
    reviewer = submission.reviewed_by
    return {"draft": draft.pk, "submission": submission.number, "submitted_at": submission.submitted_at,
            "reviewed_at": submission.reviewed_at,
            "reviewed_by": (reviewer.get_full_name() or reviewer.username) if reviewer else "",
            "lead_level": submission.lead_level, "lead_level_reason": submission.lead_level_reason,
            "content_hash": submission.content_hash, "record": submission.record}


@api.get("/drafts/{int:draft_id}/national", auth=auth,
         response={200: dict[str, Any], **TOKEN_ERRORS, **_errors(500)}, tags=["drafts"])
def get_national(request: HttpRequest, draft_id: int):
    """The referral in national terms (scope read_drafts): the JSON the draft page downloads, with the
    Standard Safeguarding Dataset's field names and the Children in Need census codes, validated against
    referrals/data/referral-export.schema.json (docs/national-export.md). Made from the submission waiting
    for review, or the approved one once approved; 404 before it is submitted and while it is returned."""
    token, actor = _caller(request, Scope.READ_DRAFTS)
    draft = _draft(request, token, actor, draft_id)
    try:
        export = referral_services.national_export(draft)
    except referral_services.NotExportable:
        raise ApiProblem(404, "This draft has no submitted referral to export: it is being written, was "
                              "returned, or was closed without a referral.", slug="not-submitted") from None
    except national.InvalidExport as exc:
        # Where and which rule only (the value may be the child's name); nothing half-valid is served.
        logger.error("national export of draft %s not served: it fails its schema at %s (%s)", draft.pk,
                     exc.where, exc.rule)
        referral_services.record_access(actor, draft, "export_national_refused", purpose="invalid_export")
        raise ApiProblem(500, "The export failed its checks and was not served: the error is logged.",
                         slug="export-invalid") from None
    referral_services.record_access(actor, draft, "export_national", purpose="api")
    return export
