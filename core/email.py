"""Email that carries a link and nothing else: no detail of a child ever leaves by email."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

FOOTER = "This email holds no details of the child by design."


def link_to(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _body(text: str, path: str) -> str:
    return f"{text}\n\nSign in to see it: {link_to(path)}\n\n{FOOTER}"


def send_now(addresses: list[str], subject: str, text: str, path: str) -> int:
    """Send `text` and a sign-in link to `path` now; an error is raised for the caller (a background task,
    which retries it)."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return 0
    sent = send_mail(subject, _body(text, path), None, addresses, fail_silently=False)
    if not sent:
        raise OSError("the email backend accepted none of the recipients")
    return sent
