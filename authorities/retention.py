"""Retention, run from the top: each app says what of its own is due in `<app>/retention.py`, and
this runs them under the scheduled job's actor, top layer first (an escalation or a draft goes
before the assessment it points at). Each removal leaves an audit event naming the job."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from .actor import Actor
from .models import Authority


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    actor = Actor.system("retention")
    # INSTALLED_APPS lists the apps bottom layer first; run them top layer first.
    modules = [import_module(f"{config.name}.retention") for config in reversed(list(apps.get_app_configs()))
               if config.name != __package__ and module_has_submodule(config.module, "retention")]
    counts: dict[str, int] = {}
    for authority in Authority.objects.all():
        cutoff = now - timedelta(days=authority.retention_days)
        with transaction.atomic():
            for module in modules:
                for what, n in module.remove_due(actor, authority, cutoff).items():
                    counts[what] = counts.get(what, 0) + n
    return counts
