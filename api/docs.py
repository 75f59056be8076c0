"""The API's human-readable docs: a plain page built from the OpenAPI schema on the server. (ninja's own
docs page loads Swagger UI from a CDN, which the strict Content Security Policy forbids, rightly.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .problems import TITLES

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict) -> str:
    ref = schema.get("$ref", "")
    if ref:
        return ref.rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    return str(schema.get("type", ""))


def _response(status: str, answer: dict) -> dict[str, str]:
    content: dict[str, dict] = answer.get("content", {})
    for content_type, media in content.items():
        return {"status": status, "schema": _schema_name(media.get("schema", {})), "content_type": content_type}
    return {"status": status, "schema": "", "content_type": ""}


def operations(schema: dict) -> list[dict]:
    out = []
    for route, items in schema["paths"].items():
        for method in METHODS:
            op = items.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            out.append({
                "method": method.upper(), "path": route, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0],
                "token": bool(op.get("security")),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "description": p.get("description", "") or p.get("schema", {}).get("description", "")}
                               for p in op.get("parameters", [])],
                "body": _schema_name(body) if body else "",
                "responses": [_response(status, answer) for status, answer in op.get("responses", {}).items()],
            })
    return out


@login_not_required
@require_GET
def docs_page(request: HttpRequest) -> HttpResponse:
    from .endpoints import api

    schema = api.get_openapi_schema()
    return render(request, "api/docs.html", {
        "schema": schema, "operations": operations(schema), "openapi_url": reverse("api-v1:openapi-json"),
        "problems": sorted(TITLES.items()), "components": sorted(schema.get("components", {}).get("schemas", {})),
    })


def root(request: HttpRequest) -> HttpResponse:
    return redirect("api-docs")
