"""The request every view receives, typed: Django's request with what the middleware adds to it."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .actor import Actor


class ActorRequest(HttpRequest):
    """For annotations only, never built: a view's `request: ActorRequest` is the plain HttpRequest after
    `ActorMiddleware` (`actor`, built lazily on first use) and django-htmx's `HtmxMiddleware` (`htmx`)."""

    actor: Actor
    htmx: HtmxDetails
