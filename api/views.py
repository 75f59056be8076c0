"""The organisation's API tokens, for its safeguarding lead: list, issue (the secret shown once), revoke."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from authorities import rules
from authorities.http import ActorRequest
from core.errors import NotAllowed

from . import services
from .forms import IssueTokenForm


def _lead_only(request: ActorRequest) -> None:
    if not rules.is_a_lead(request.actor):
        raise Http404


@require_GET
def token_list(request: ActorRequest) -> HttpResponse:
    _lead_only(request)
    tokens = services.tokens_for(request.actor)
    return render(request, "api/tokens.html", {"tokens": tokens, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def token_new(request: ActorRequest) -> HttpResponse:
    _lead_only(request)
    organisations = services.lead_organisations(request.actor)
    taken = {(t.organisation_id, t.name.lower()) for t in services.tokens_for(request.actor)}
    form = IssueTokenForm(request.POST or None, organisations=organisations, taken_names=taken)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        try:
            token, secret = services.issue(request.actor, organisation, data["name"], data["scopes"],
                                           timezone.now() + timedelta(days=int(data["expires_in"])))
        except NotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            # Shown once, in this response only: never stored, never in a redirect or a message.
            response = render(request, "api/token_issued.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/token_new.html", {"form": form}, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def token_revoke(request: ActorRequest, pk: int) -> HttpResponse:
    _lead_only(request)
    token = services.token_of(request.actor, pk)
    if token is None:
        raise Http404
    if request.method == "POST":
        services.revoke(request.actor, token)
        return redirect("api-tokens")
    return render(request, "api/token_revoke.html", {"token": token})
