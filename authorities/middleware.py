"""Session lifetime and caching rules for signed-in pages."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .actor import Actor

IDLE_KEY = "last_seen"
STARTED_KEY = "signed_in_at"


class ActorMiddleware:
    """Build the request's actor once (the user with their seats); services take it from here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: Actor.of(request.user))
        return self.get_response(request)


SECONDS_LEFT_HEADER = "X-Session-Seconds-Left"


def seconds_left(session, now: float) -> int:
    """How long until this session ends, whichever limit comes first (idle or in all)."""
    idle = settings.SESSION_IDLE_SECONDS - (now - session.get(IDLE_KEY, now))
    in_all = settings.SESSION_ABSOLUTE_SECONDS - (now - session.get(STARTED_KEY, now))
    return max(0, int(min(idle, in_all)))


def warning_seconds() -> int:
    """How long before the end the page warns (GOV.UK's pattern: 2 minutes), never more than half the idle time."""
    return min(getattr(settings, "SESSION_WARNING_SECONDS", 120), settings.SESSION_IDLE_SECONDS // 2)


def _sends_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(reverse("login"))


def _is_session_clock(request) -> bool:
    return request.path == reverse("session-clock")


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_SECONDS idle or SESSION_ABSOLUTE_SECONDS in all.

    Every signed-in response says how long is left (the X-Session-Seconds-Left header, and
    `request.session_seconds_left` for the page's <body>), so static/js/session.mjs can warn before
    the end and restart its timer whenever a save reaches the server. Asking the session clock how long
    is left (a GET) is not activity. What was saved is kept; what was typed and not saved stays on the
    open page (ADR 0006), and the user comes back to the page they were on after signing in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED_KEY, now)
            last = session.get(IDLE_KEY, now)
            if now - last > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session on the server
                login_url = f"{reverse('login')}?timed_out=1&next={request.get_full_path()}"
                if _is_session_clock(request):
                    return HttpResponse(status=401)
                if request.headers.get("HX-Request"):
                    # An autosave or a tick from a page left open: say plainly that it was NOT saved, where
                    # the person is looking, and keep their page (and what they typed) as it is.
                    return render(request, "registration/_signed_out.html",
                                  {"login_url": login_url, "timed_out": True}, status=401)
                return redirect(login_url)
            # Write the session at most once a minute (idle time is measured in minutes), or more often
            # when the idle limit is short (the browser tests use seconds).
            quiet = _is_session_clock(request) and request.method == "GET"
            if not quiet and (now - last >= min(60, settings.SESSION_IDLE_SECONDS / 15) or IDLE_KEY not in session):
                session[IDLE_KEY] = now
            request.session_seconds_left = seconds_left(session, now)
            request.session_warning_seconds = warning_seconds()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and IDLE_KEY in request.session:
            response[SECONDS_LEFT_HEADER] = str(seconds_left(request.session, time.time()))
        elif request.headers.get("HX-Request") and _sends_to_sign_in(response):
            # Already signed out (here, or in another tab): the same plain "Not saved", never the sign-in page
            # swapped into the middle of the draft.
            login_url = f"{reverse('login')}?signed_out=1&next={request.get_full_path()}"
            return render(request, "registration/_signed_out.html", {"login_url": login_url}, status=401)
        return response


class NoStoreMiddleware:
    """Signed-in pages hold case data: never let a browser or proxy cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
        return response


class TwoFactorMiddleware:
    """Roles in TWO_FACTOR_ROLES must finish a second factor before any other page."""

    ALLOWED = ("/two-factor/", "/sign-out/", "/healthz", "/static/", "/assets/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(self.ALLOWED)
                and needs_second_factor(request.actor) and not user.is_verified()):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            target = "two-factor-verify" if TOTPDevice.objects.filter(user=user, confirmed=True).exists() \
                else "two-factor-setup"
            url = f"{reverse(target)}?next={request.get_full_path()}"
            response = redirect(url)
            if request.headers.get("HX-Request"):
                response["HX-Redirect"] = url
            return response
        return self.get_response(request)


def needs_second_factor(actor: Actor) -> bool:
    roles = set(settings.TWO_FACTOR_ROLES)
    return bool(roles) and any(s.role in roles for s in actor.seats)
