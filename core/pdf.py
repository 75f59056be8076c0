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


class TooManyPages(ValueError):
    """The document would run past settings.PDF_MAX_PAGES: the caller says what to shorten."""

    def __init__(self, pages: int, limit: int):
        self.pages, self.limit = pages, limit
        super().__init__(f"the PDF would run to {pages} pages; the limit is {limit}")


def render_html_to_pdf(html: str) -> bytes:
    """Lay the document out, refuse it past the page cap (the length limits on every field keep a
    referral far below it, and so bound the time a render takes), then write it."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    if len(document.pages) > settings.PDF_MAX_PAGES:
        raise TooManyPages(len(document.pages), settings.PDF_MAX_PAGES)
    return document.write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return render_html_to_pdf(render_to_string(template, context))
