"""Session lifetime and caching rules for signed-in pages."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
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


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_SECONDS idle or SESSION_ABSOLUTE_SECONDS in all.

    Drafts save as they are edited, so signing out loses nothing; the user comes back to the
    page they were on after signing in again.
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
                if request.headers.get("HX-Request"):
                    # An autosave or a tick from a page left open: say plainly that it was NOT saved, where
                    # the person is looking, and keep their page (and what they typed) as it is.
                    return render(request, "registration/_signed_out.html", {"login_url": login_url}, status=401)
                return redirect(login_url)
            # Write the session at most once a minute: idle time is measured in minutes.
            if now - last >= 60 or IDLE_KEY not in session:
                session[IDLE_KEY] = now
        return self.get_response(request)


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
