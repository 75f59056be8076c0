"""Background work with a key: `@background_task` turns a function into a Celery task that runs once per
key, retries with growing waits, and ends `dead` (for the dead-letter page) when every try has failed;
`enqueue` queues it after the current transaction commits. The broker carries only the key: the
arguments stay in the database (authorities.BackgroundTask), so nothing about a person sits in a queue.

Delivery is at least once: a worker that dies after the work but before marking it done leaves the
message to be redelivered, and the work runs again. Email is the only work where that shows (a second
copy of a link), and it is rare; see docs/adr/0009."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import Task, current_app, shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import BackgroundTask

logger = logging.getLogger(__name__)

ATTEMPTS = 5
BACKOFF_SECONDS = 60  # then twice that, and so on: 1, 2, 4, 8 minutes between the five tries
# A task still waiting this long after it was queued or last tried was probably never published (the broker
# was down at the time) or lost with its worker: the sweep (requeue_stalled) publishes it again.
STALLED_AFTER = timedelta(minutes=30)

State = BackgroundTask.State


class TaskFailed(Exception):
    """What Celery sees of a failed try: the error's type, without its text."""


def background_task(name: str, *, attempts: int = ATTEMPTS, backoff: int = BACKOFF_SECONDS) -> Callable:
    """Register `function(**arguments)` as the Celery task `name`; call `.enqueue(key, **arguments)` on it."""

    def register(function: Callable[..., Any]) -> Task:
        @shared_task(bind=True, name=name, max_retries=attempts - 1)
        def run(self: Task, key: str) -> str:
            record = BackgroundTask.objects.filter(key=key).first()
            if record is None or record.state != State.QUEUED:
                return "skipped"  # done already (a redelivery, or queued twice), or dead and not retried
            BackgroundTask.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
            try:
                function(**record.arguments)
            except Exception as exc:  # noqa: BLE001 - any failure is this task's: retried, then dead
                if self.request.retries < attempts - 1:
                    logger.warning("task %s %s failed (try %d of %d): %s", name, key, self.request.retries + 1,
                                   attempts, type(exc).__name__)
                    # Celery logs the retry's exception: hand it the type's name, never the text.
                    raise self.retry(countdown=backoff * 2 ** self.request.retries,
                                     exc=TaskFailed(type(exc).__name__)) from None
                # The type only: an error's text can quote an address, and logs carry no personal detail.
                logger.error("task %s %s failed on every try (%d): %s", name, key, attempts, type(exc).__name__)
                _finish(key, State.DEAD, type(exc).__name__)
                return "dead"
            _finish(key, State.DONE)
            return "done"

        run.enqueue = lambda key, **arguments: enqueue(run, key, **arguments)
        return run

    return register


def enqueue(task: Task, key: str, **arguments: Any) -> bool:
    """Queue `task` for `key` once the current transaction commits. False, and nothing queued, when the key
    was queued before (whatever became of it): a job that runs twice queues each piece of work once."""
    _, created = BackgroundTask.objects.get_or_create(key=key, defaults={"name": task.name,
                                                                             "arguments": arguments})
    if created:
        transaction.on_commit(lambda: publish(task.name, key))
    return created


def publish(name: str, key: str) -> None:
    """Hand the key to the broker (or run it here, with no broker). A broker that cannot be reached loses
    nothing: the record waits, and the sweep publishes it again."""
    try:
        _dispatch(name, key)
    except Exception as exc:  # noqa: BLE001 - the request that queued the work must not fail with the broker
        logger.error("task %s %s could not be queued, the sweep will try again: %s", name, key, type(exc).__name__)


def _dispatch(name: str, key: str) -> None:
    # send_task does not heed task_always_eager: with no broker, run the task here, now.
    if current_app.conf.task_always_eager:
        current_app.tasks[name].apply(args=[key])
    else:
        current_app.send_task(name, args=[key])


def retry_dead(record: BackgroundTask) -> None:
    """Put a dead task back in the queue with a fresh count of tries (the caller audits who asked)."""
    BackgroundTask.objects.filter(pk=record.pk, state=State.DEAD).update(state=State.QUEUED, attempts=0, error="",
                                                                         updated_at=timezone.now())
    transaction.on_commit(lambda: publish(record.name, record.key))


def requeue_stalled(now=None) -> int:
    """Publish again each task that has waited longer than STALLED_AFTER; the key keeps it from running twice."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    stalled = list(BackgroundTask.objects.filter(state=State.QUEUED, updated_at__lt=cutoff)
                   .order_by("updated_at").values_list("pk", "name", "key")[:1000])
    BackgroundTask.objects.filter(pk__in=[pk for pk, _, _ in stalled]).update(updated_at=timezone.now())
    for _, name, key in stalled:
        publish(name, key)
    return len(stalled)


def _finish(key: str, state: str, error: str = "") -> None:
    BackgroundTask.objects.filter(key=key).update(state=state, error=error[:200], updated_at=timezone.now())
