"""Email that carries a link and nothing else: no detail of a child ever leaves by email."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

FOOTER = "This email holds no details of the child by design."


def link_to(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_link(addresses: list[str], subject: str, text: str, path: str, *, on_commit: bool = True,
              fail_silently: bool = True) -> int:
    """Send `text` and a sign-in link to `path`; after the transaction commits unless told otherwise."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return 0
    body = f"{text}\n\nSign in to see it: {link_to(path)}\n\n{FOOTER}"

    def send() -> int:
        return send_mail(subject, body, None, addresses, fail_silently=fail_silently)

    if on_commit:
        transaction.on_commit(send)
        return len(addresses)
    return send()
