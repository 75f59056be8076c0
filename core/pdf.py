"""PDFs through WeasyPrint, from a template and its context. The renderer may read the project's own static files and
nothing else: no network, no other file (hostile text in a draft cannot make it fetch anything)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_ROOT = (Path(settings.BASE_DIR) / "static").resolve()
BASE_URL = "https://static.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serve files under static/ (addressed as https://static.invalid/<path>); refuse everything else."""

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "https" and parsed.netloc == "static.invalid":
            path = (STATIC_ROOT / unquote(parsed.path).lstrip("/")).resolve()
            if path.is_file() and STATIC_ROOT in path.parents:
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})
        raise ValueError(f"blocked fetch of {url[:80]!r}: the PDF may use only the project's static files")


def render_html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return render_html_to_pdf(render_to_string(template, context))
