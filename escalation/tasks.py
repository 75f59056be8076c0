"""Escalation's scheduled work (celery beat): the morning's reminders, each its own background email."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import queue_reminders


@shared_task(name="escalation.queue_reminders")
def queue_reminders_today() -> int:
    return queue_reminders(timezone.localdate()).queued
