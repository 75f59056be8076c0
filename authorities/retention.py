"""Retention, run from the top: each app says what of its own is due in `<app>/retention.py`, and
this runs them under the scheduled job's actor, top layer first (an escalation or a draft goes
before the assessment it points at). Each removal leaves an audit event naming the job.

Set-based and restartable: `remove_in_batches` takes the ids of up to BATCH due records, in id order from
where the last batch ended (a window of ids at a time), writes their audit events in one insert and deletes them (with what cascades)
in one transaction, and goes on until none is due; memory is bounded by the batch, and a run stopped half
way loses nothing and redoes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from . import audit
from .actor import Actor
from .models import Authority

BATCH = 1000
WINDOW = 5  # each read looks at up to WINDOW × BATCH ids: small enough that PostgreSQL joins by index


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    actor = Actor.system("retention")
    # INSTALLED_APPS lists the apps bottom layer first; run them top layer first.
    modules = [import_module(f"{config.name}.retention") for config in reversed(list(apps.get_app_configs()))
               if config.name != __package__ and module_has_submodule(config.module, "retention")]
    counts: dict[str, int] = {}
    for authority in Authority.objects.all():
        cutoff = now - timedelta(days=authority.retention_days)
        for module in modules:
            for what, n in module.remove_due(actor, authority, cutoff).items():
                counts[what] = counts.get(what, 0) + n
    return counts


def remove_in_batches(actor: Actor, due: QuerySet, reason: str, *, fields: tuple[str, ...] = (),
                      detail: Callable[[dict], dict] = lambda row: {}, batch: int | None = None) -> int:
    """Remove every record of `due` (it must name `organisation_id`), a batch at a time: one query for the
    ids, one insert of their audit events ("retention.delete", the reason and `detail(row)`), one delete
    with its cascades. `fields` are the extra columns `detail` reads."""
    removed = 0
    batch = batch or BATCH  # read when called, so a test (or an operator's shell) can set it
    model = due.model
    # From the oldest record's id (those before it are long gone) to the newest's (newer ones are not due).
    ids = model._default_manager.aggregate(first=Min("pk"), last=Max("pk"))
    after, last = (ids["first"] or 1) - 1, ids["last"] or 0
    while after < last:
        # A window of ids on from where the last batch ended: each read looks at its own stretch of the table
        # only (once per run, not once per batch: a backlog was quadratic), and PostgreSQL joins the window
        # by index instead of hashing whole tables for every batch (200 -> 5 ms a read at 240,000).
        upto = after + WINDOW * batch
        rows = list(due.filter(pk__gt=after, pk__lte=upto).order_by("pk")
                    .values("pk", "organisation_id", *fields)[:batch])
        after = rows[-1]["pk"] if len(rows) == batch else upto  # a full batch: the window's rest comes next
        if not rows:
            continue
        with transaction.atomic():
            audit.record_many(actor, "retention.delete", model,
                              [(r["pk"], r["organisation_id"], {"reason": reason, **detail(r)}) for r in rows],
                              purpose="retention")
            # Only the ids: Django's delete collector otherwise reads every column of each record to cascade
            # (10,000 assessments: 3.4 -> 2.6 s on SQLite beside 5,000,000 audit events).
            model._default_manager.filter(pk__in=[r["pk"] for r in rows]).only("pk").delete()
        removed += len(rows)
    return removed
