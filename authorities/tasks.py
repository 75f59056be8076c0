"""The background tasks of the ground floor: link-only email, nightly retention, and the sweep that
re-publishes work the broker never got. Celery finds them here (config/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core import email

from . import background
from .retention import apply_retention as remove_due_records


@background.background_task("authorities.send_email")
def send_email(addresses: list[str], subject: str, text: str, path: str) -> None:
    """One email: `text` and a sign-in link to `path`, never a detail of the child."""
    email.send_now(addresses, subject, text, path)


@background.background_task("authorities.retention_run", attempts=3)
def _retention_run() -> None:
    remove_due_records()


@shared_task(name="authorities.apply_retention")
def apply_retention() -> bool:
    """Nightly (celery beat): one retention run a day, however often the schedule fires."""
    return _retention_run.enqueue(f"retention:{timezone.localdate().isoformat()}")


@shared_task(name="authorities.requeue_stalled")
def requeue_stalled() -> int:
    return background.requeue_stalled()
