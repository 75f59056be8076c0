"""Two-factor sign-in: set up an authenticator app (TOTP), get recovery codes, verify at sign-in."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import GovukFormMixin

from . import audit, recovery_codes
from .http import ActorRequest


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(max_length=16, label="Code", help_text="The 6-digit code from your authenticator app, "
                           "or one of your recovery codes", error_messages={"required": "Enter the code"})


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@require_http_methods(["GET", "POST"])
def setup(request: ActorRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("two-factor-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or \
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                # The device only marks a sign-in verified by a recovery code; the codes themselves are
                # stored hashed (authorities.recovery_codes), never as django-otp's plain tokens.
                StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
                codes = recovery_codes.issue(user)
                audit.record(request.actor, "two_factor.setup")
            otp_login(request, device)
            return render(request, "registration/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", "The code is not right: check your app's clock and enter the newest code")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "registration/two_factor_setup.html",
                  {"form": form, "qr": qr, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                   "next": _next(request)}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify(request: ActorRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        if recovery_codes.looks_like_a_recovery_code(code):
            static = StaticDevice.objects.filter(user=request.user, name="Recovery codes").first()
            # django-otp's throttle on the device: each failure doubles the wait before the next try.
            if static is not None and static.verify_is_allowed()[0]:
                if recovery_codes.use(request.user, code):
                    static.throttle_reset()
                    otp_login(request, static)
                    audit.record(request.actor, "two_factor.recovery_code_used")
                    messages.warning(request, f"You used a recovery code: {recovery_codes.left(request.user)} left.")
                    return redirect(_next(request))
                static.throttle_increment()
        else:
            device = match_token(request.user, code)
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("code", "The code is not right: enter the newest code from your app, or a recovery code")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)
