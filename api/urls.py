"""The API's URLs: the lead's token pages, and /api/v1/ (django-ninja's operations, each wrapped so the
sign-in middleware lets it through, its body is bounded and every error is a problem document)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path, re_path

from . import docs, problems, views
from .endpoints import api


def _open(view):
    """An API view: no session sign-in (a token, or nothing, instead), a bounded body, never cached, and
    every error (405 too) as application/problem+json."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problems.response(400, "Content-Length is not a number.")
        if length > settings.API_BODY_MAX_BYTES:
            return problems.response(413, f"The body is {length:,} bytes: at most "
                                          f"{settings.API_BODY_MAX_BYTES:,} are accepted.")
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(problems.PROBLEM):
            allowed = response.get("Allow", "")
            response = problems.response(405, f"{request.method} is not allowed here: use {allowed}.",
                                         headers={"Allow": allowed})
        response["Cache-Control"] = "no-store"
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # a token, not a cookie: nothing to forge
    return login_not_required(wrapped)


def _not_found(request, rest=""):
    return problems.response(404, "There is no such API address: see /api/v1/docs.")


def _ninja_patterns() -> list[URLPattern]:
    patterns, _app, _namespace = api.urls
    out = []
    for p in patterns:
        assert isinstance(p, URLPattern)
        if p.name == "api-root":
            out.append(URLPattern(p.pattern, _open(docs.root), p.default_args, p.name))
        else:
            out.append(URLPattern(p.pattern, _open(p.callback), p.default_args, p.name))
    return out


urlpatterns = [
    path("api-tokens/", views.token_list, name="api-tokens"),
    path("api-tokens/new/", views.token_new, name="api-token-new"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
    path("api/v1/docs", login_not_required(docs.docs_page), name="api-docs"),
    path("api/v1/", include((_ninja_patterns(), "ninja"), namespace="api-v1")),
    re_path(r"^api/v1/(?P<rest>[\s\S]*)$", _open(_not_found), name="api-not-found"),  # any character, newlines too
]
