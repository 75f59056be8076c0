"""Insight's nightly rebuild (celery beat): this month and the twelve before, once a day."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from authorities import background
from authorities.actor import Actor

from . import services
from .measures import add_months, month_start, months_between

MONTHS = 13  # as the refresh_insight command's default


@background.background_task("insight.refresh_run", attempts=3)
def _refresh_run() -> None:
    this_month = month_start(timezone.localdate())
    services.refresh(Actor.system(services.JOB), months_between(add_months(this_month, -(MONTHS - 1)), this_month))


@shared_task(name="insight.refresh")
def refresh() -> bool:
    return _refresh_run.enqueue(f"insight:{timezone.localdate().isoformat()}")
