"""Insight's nightly rebuild (celery beat): this month and the twelve before, once a day."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from authorities import background
from authorities.actor import Actor

from . import services
from .measures import months_up_to

MONTHS = 13  # this month and the twelve before: late reviews and decisions land in earlier months


@background.background_task("insight.refresh_run", attempts=3)
def _refresh_run() -> None:
    services.refresh(Actor.system(services.JOB), months_up_to(timezone.localdate(), MONTHS))


@shared_task(name="insight.refresh")
def refresh() -> bool:
    return _refresh_run.enqueue(f"insight:{timezone.localdate().isoformat()}")
