"""Every API error as application/problem+json (RFC 9457): type, title, status, detail, and the field
for a validation error. The `type` is a link to the error's explanation on the API's docs page."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Not signed in with a token", 403: "Not allowed with this token", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Request body too large", 422: "The request has errors",
    429: "Too many requests", 500: "Something went wrong",
}


class ApiProblem(Exception):
    """Raised anywhere in an API call: answered as a problem document."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, slug: str = "",
                 errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.field, self.slug = status, detail, field, slug
        self.errors = errors or ([{"field": field, "detail": detail}] if field else [])
        self.headers = headers or {}


def problem_type(status: int, slug: str = "") -> str:
    return f"/api/v1/docs#problem-{slug or status}"


def response(status: int, detail: str, *, field: str | None = None, slug: str = "",
             errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
             extra: dict[str, Any] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": problem_type(status, slug), "title": TITLES.get(status, "Error"),
                            "status": status, "detail": detail}
    if field:
        body["field"] = field
    body["errors"] = errors or ([{"field": field, "detail": detail}] if field else [])
    body |= extra or {}
    answer = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


def from_exception(exc: ApiProblem) -> HttpResponse:
    return response(exc.status, exc.detail, field=exc.field, slug=exc.slug, errors=exc.errors, headers=exc.headers)


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """pydantic's location as a field path: ("body", "payload", "ticks", 3) is "ticks[3]"."""
    parts = [p for p in loc if p not in ("body", "payload", "query", "path", "filters")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"
