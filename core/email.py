"""Email that carries a link and nothing else: no detail of a child ever leaves by email."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from time import sleep

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

FOOTER = "This email holds no details of the child by design."
# A message is tried this many times, waiting BACKOFF_SECONDS, then twice that, between tries: enough to ride
# out a relay's brief hiccup without holding a cron job for minutes on a message that will never go.
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0

logger = logging.getLogger(__name__)


def link_to(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _body(text: str, path: str) -> str:
    return f"{text}\n\nSign in to see it: {link_to(path)}\n\n{FOOTER}"


def link_message(addresses: list[str], subject: str, text: str, path: str) -> EmailMessage:
    """An unsent message: `text` and a sign-in link to `path`, for `send_batch`."""
    return EmailMessage(subject, _body(text, path), None, [a for a in addresses if a])


def send_link(addresses: list[str], subject: str, text: str, path: str, *, on_commit: bool = True,
              fail_silently: bool = True) -> int:
    """Send `text` and a sign-in link to `path`; after the transaction commits unless told otherwise."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return 0
    body = _body(text, path)

    def send() -> int:
        return send_mail(subject, body, None, addresses, fail_silently=fail_silently)

    if on_commit:
        transaction.on_commit(send)
        return len(addresses)
    return send()


@dataclass
class BatchResult:
    sent: int = 0
    failed: list[int] = field(default_factory=list)  # positions in the batch, for the caller to name in its log


def send_batch(messages: Sequence[EmailMessage]) -> BatchResult:
    """Send each message over one connection. A message that fails is retried a few times, then logged and
    counted; it never stops the ones after it."""
    result = BatchResult()
    if not messages:
        return result
    connection = get_connection(fail_silently=False)
    is_open = False
    try:
        for position, message in enumerate(messages):
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    if not is_open:
                        connection.open()
                        is_open = True
                    if not connection.send_messages([message]):
                        raise OSError("the backend accepted none of the recipients")
                except Exception as exc:  # noqa: BLE001 - any backend error is this message's failure, not the batch's
                    # The type only: an SMTP error's text can quote addresses, and logs carry no personal detail.
                    logger.warning("email %d of %d failed (attempt %d of %d): %s", position + 1, len(messages),
                                   attempt, ATTEMPTS, type(exc).__name__)
                    # The connection's state is unknown after an error: start the next try on a fresh one.
                    is_open = _close(connection)
                    if attempt < ATTEMPTS:
                        sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
                else:
                    result.sent += 1
                    break
            else:
                result.failed.append(position)
    finally:
        if is_open:
            _close(connection)
    return result


def _close(connection: BaseEmailBackend) -> bool:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - a broken connection may not close cleanly; it is dropped either way
        pass
    return False
