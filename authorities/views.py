"""Home, sign-in, health check, your details, the audit page, failed background work and the error pages."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import F, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import paging
from core.errors import NotAllowed

from . import audit, audit_presenter, background, rules, services
from .client_ip import client_ip
from .forms import AuditFilterForm, ProfileForm, SignInForm
from .http import ActorRequest
from .models import AuditEvent, BackgroundTask


@require_GET
def home(request: ActorRequest) -> HttpResponse:
    return render(request, "home.html", {"seats": request.actor.seats,
                                         "is_operator": rules.can_operate_service(request.actor)})


@login_not_required
@never_cache
@require_GET
def healthz(request: ActorRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def address_is_throttled(request: ActorRequest) -> bool:
    """Too many failed sign-ins from this address, whatever the usernames, within the lockout window.
    Counted from django-axes' records in the database, so every application server agrees."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessAttempt.objects.filter(ip_address=client_ip(request), attempt_time__gte=since) \
        .aggregate(n=Sum("failures_since_start"))["n"] or 0
    return failures >= settings.SIGN_IN_FAILURES_PER_ADDRESS


class SignInView(auth_views.LoginView):
    """Django's sign-in with a GOV.UK form and generic errors.

    The form is shown even to someone already signed in: signing in as another person flushes the
    old session (Django's login()), so a session planted in the browser never survives a sign-in.
    An address with many failed sign-ins is throttled (429) before any password is checked.
    """

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = False
    http_method_names = ["get", "post", "head", "options"]  # FormView would treat PUT as POST

    def post(self, request, *args, **kwargs):
        if address_is_throttled(request):
            # An unbound form: binding it would check the password, which a throttled address may not try.
            form = self.form_class(request, initial={"username": str(request.POST.get("username", ""))[:150]})
            form.full_clean()  # unbound: no validation, just an empty error list to add to
            form.cleaned_data = {}
            form.add_error(None, "There have been too many failed sign-ins from your network. Wait an hour "
                                 "and try again, or ask your organisation's administrator for help.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@never_cache
@require_http_methods(["GET", "POST"])
def session_clock(request: ActorRequest) -> HttpResponse:
    """The session for static/js/session.mjs: how long is left is in the X-Session-Seconds-Left header
    (authorities.middleware).

    GET: still signed in? With the current CSRF token, because signing in again in another tab rotates
    it and the open page must be able to save what was typed (ADR 0006). Not counted as activity.
    POST ("Stay signed in", CSRF-protected): activity, so it restarts the idle clock. When the session
    times out here the answer is 401; once signed out, the sign-in redirect (like every other URL).
    """
    if request.method == "POST":
        return HttpResponse(status=204)  # a request like any other: the middleware has restarted the idle clock
    return JsonResponse({"signed_in": True, "csrf_token": get_token(request)})


@require_GET
def audit_log(request: ActorRequest) -> HttpResponse:
    """Audit events for the records of the organisations the user leads."""
    if not rules.can_read_audit(request.actor):
        raise Http404
    org_ids = request.actor.lead_organisation_ids
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(organisation_id__in=org_ids).select_related("actor", "organisation")
    if form.is_valid():
        events = form.apply(events)
    # Keyset pages (core/paging.py) through the indexes that match each filter (docs/performance.md).
    page = paging.page(events, before=request.GET.get("before", ""), after=request.GET.get("after", ""))
    count, more = paging.bounded_count(events)
    rows = audit_presenter.rows(request.actor, page.rows)
    audit.record(request.actor, "audit.view")  # it names children: looking at it is an access too
    query = request.GET.copy()
    for key in ("before", "after", "page"):
        query.pop(key, None)  # the paging links keep the filters
    return render(request, "audit_log.html", {"form": form, "page": page, "rows": rows, "count": count,
                                              "more": more, "filters": f"{query.urlencode()}&" if query else ""})


@require_GET
def failed_tasks(request: ActorRequest) -> HttpResponse:
    """The dead-letter page: background work (email, nightly jobs) that failed on every try, newest first,
    with how much is still waiting. Operators only; everyone else gets the not-found page (ADR 0002)."""
    if not rules.can_operate_service(request.actor):
        raise Http404
    dead = BackgroundTask.objects.filter(state=BackgroundTask.State.DEAD)
    # Keyset pages as the audit page's (core/paging.py reads a time called `at`).
    page = paging.page(dead.annotate(at=F("updated_at")), before=request.GET.get("before", ""),
                       after=request.GET.get("after", ""))
    count, more = paging.bounded_count(dead)
    waiting, _ = paging.bounded_count(BackgroundTask.objects.filter(state=BackgroundTask.State.QUEUED))
    audit.record(request.actor, "tasks.view")
    return render(request, "failed_tasks.html", {"page": page, "count": count, "more": more, "waiting": waiting,
                                                 "attempts": background.ATTEMPTS, "filters": ""})


@require_POST
def retry_task(request: ActorRequest, pk: int) -> HttpResponse:
    if not rules.can_operate_service(request.actor):
        raise Http404
    try:
        task = services.retry_background_task(request.actor, pk)
    except BackgroundTask.DoesNotExist:
        raise Http404 from None
    except NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Task {task.key} is queued again.")
    return redirect("failed-tasks")


@require_http_methods(["GET", "POST"])
def your_details(request: ActorRequest) -> HttpResponse:
    """The person's job title and phone, said once: every new referral draft starts with them (with their
    name, email and organisation). `next` brings them back to the draft they came from."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, initial={"job_title": profile.job_title, "phone": profile.phone})
    if request.method == "POST" and form.is_valid():
        services.save_profile(request.actor, job_title=form.cleaned_data["job_title"].strip(),
                              phone=form.cleaned_data["phone"].strip())
        messages.success(request, "Your details are saved. New referral drafts start with them.")
        return redirect(back or "your-details")
    return render(request, "authorities/your_details.html",
                  {"form": form, "next": back, "seat": request.actor.primary},
                  status=400 if form.is_bound else 200)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    """Not found, or not yours (ADR 0002): for a signed-in person, the attempt is audited (ids only)."""
    actor = getattr(request, "actor", None)
    if actor is not None and actor.is_person:
        match = getattr(request, "resolver_match", None)
        audit.record(actor, "access.denied", purpose="not_found",
                     detail={"path": request.path[:200], "view": match.view_name if match else ""})
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: whatever failed (the database, a context processor) must not fail again here.
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
