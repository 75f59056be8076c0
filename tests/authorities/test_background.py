"""Background work (authorities/background.py), run in-process as with no broker: each key's work happens
once, a failure is retried with growing waits and then waits, dead, on the operators' page, a broker that
cannot be reached loses nothing, and the page is theirs alone."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from authorities import background
from authorities.models import AuditEvent, BackgroundTask
from authorities.tasks import send_email

pytestmark = pytest.mark.django_db

State = BackgroundTask.State
CALLS: list[dict] = []
FAILURES = {"left": 0}


@background.background_task("tests.flaky", attempts=3, backoff=1)
def flaky(n: int) -> None:
    CALLS.append({"n": n})
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise ConnectionRefusedError("relay at 10.0.0.1 refused alice@example.invalid")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    FAILURES["left"] = 0


def _queue(django_capture_on_commit_callbacks, task, key, **arguments) -> bool:
    with django_capture_on_commit_callbacks(execute=True):
        return task.enqueue(key, **arguments)


def test_work_queued_twice_under_one_key_runs_once(django_capture_on_commit_callbacks):
    assert _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1) is True
    assert _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1) is False
    assert CALLS == [{"n": 1}]
    task = BackgroundTask.objects.get(key="k1")
    assert (task.state, task.attempts, task.name, task.arguments) == (State.DONE, 1, "tests.flaky", {"n": 1})


def test_a_redelivered_message_does_not_run_done_work_again(django_capture_on_commit_callbacks):
    _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1)
    assert flaky.apply(args=["k1"]).get() == "skipped"  # as a broker redelivering after a lost ack would
    assert len(CALLS) == 1


def test_a_failure_is_retried_and_then_done(django_capture_on_commit_callbacks, monkeypatch):
    waits: list[int] = []
    real_retry = flaky.retry
    monkeypatch.setattr(flaky, "retry", lambda **kw: waits.append(kw["countdown"]) or real_retry(**kw))
    FAILURES["left"] = 2
    _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1)
    task = BackgroundTask.objects.get(key="k1")
    assert (task.state, task.attempts, len(CALLS)) == (State.DONE, 3, 3)
    assert waits == [1, 2]  # backoff, then twice that


def test_work_that_fails_every_try_is_dead_with_the_error_type_only(django_capture_on_commit_callbacks, caplog):
    FAILURES["left"] = 99
    _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1)
    task = BackgroundTask.objects.get(key="k1")
    assert (task.state, task.attempts, task.error) == (State.DEAD, 3, "ConnectionRefusedError")
    assert "failed on every try" in caplog.text
    assert "alice@example.invalid" not in caplog.text and "10.0.0.1" not in caplog.text


def test_one_email_failing_does_not_stop_the_others(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.authorities.test_background.RefusingBackend"
    for n, address in enumerate(["a@example.invalid", "refused@example.invalid", "c@example.invalid"]):
        _queue(django_capture_on_commit_callbacks, send_email, f"mail-{n}", addresses=[address], subject="Hello",
               text="Hello.", path="/")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.invalid", "c@example.invalid"]
    assert dict(BackgroundTask.objects.values_list("key", "state")) == {
        "mail-0": State.DONE, "mail-1": State.DEAD, "mail-2": State.DONE}
    assert "Sign in to see it: http://127.0.0.1:8000/" in mail.outbox[0].body


class RefusingBackend(locmem.EmailBackend):
    """The test outbox, except that it refuses refused@example.invalid as an SMTP relay would."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.invalid" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.invalid": (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_a_broker_that_cannot_be_reached_loses_nothing(django_capture_on_commit_callbacks, monkeypatch, caplog):
    def unreachable(name, key):
        raise ConnectionRefusedError("amqp://guest@127.0.0.1:5672")

    monkeypatch.setattr(background, "_dispatch", unreachable)
    _queue(django_capture_on_commit_callbacks, flaky, "k1", n=1)  # the request that queued it does not fail
    assert BackgroundTask.objects.get(key="k1").state == State.QUEUED and CALLS == []
    assert "could not be queued" in caplog.text
    monkeypatch.undo()
    assert background.requeue_stalled() == 0  # not stalled yet
    with time_machine.travel(timezone.now() + background.STALLED_AFTER + timedelta(minutes=1)):
        assert background.requeue_stalled() == 1
    assert CALLS == [{"n": 1}] and BackgroundTask.objects.get(key="k1").state == State.DONE


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user("operator", is_superuser=True)


@pytest.fixture
def dead(django_capture_on_commit_callbacks):
    FAILURES["left"] = 99
    _queue(django_capture_on_commit_callbacks, flaky, "k-dead", n=7)
    FAILURES["left"] = 0
    CALLS.clear()
    return BackgroundTask.objects.get(key="k-dead")


def test_only_operators_see_failed_work(access, dead):
    url = reverse("failed-tasks")
    assert access("get", url) == {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 404,
                                  "anonymous": "sign-in", "owner": 404}
    retry = reverse("failed-task-retry", args=[dead.pk])
    assert access("post", retry, who=["lead", "admin", "owner"]) == {"lead": 404, "admin": 404, "owner": 404}
    assert BackgroundTask.objects.get(pk=dead.pk).state == State.DEAD


def test_an_operator_sees_failed_work_and_tries_it_again(client, operator, dead, django_capture_on_commit_callbacks):
    client.force_login(operator)
    page = client.get(reverse("failed-tasks")).content.decode()
    assert "k-dead" in page and "ConnectionRefusedError after 3 tries" in page
    assert AuditEvent.objects.filter(actor=operator, action="tasks.view").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed-task-retry", args=[dead.pk]))
    assert response.status_code == 302
    assert CALLS == [{"n": 7}]
    assert BackgroundTask.objects.get(pk=dead.pk).state == State.DONE
    assert AuditEvent.objects.filter(actor=operator, action="task.retry", object_id=str(dead.pk)).count() == 1
    again = client.post(reverse("failed-task-retry", args=[dead.pk]), follow=True).content.decode()
    assert "is not waiting to be tried again" in again and CALLS == [{"n": 7}]
    assert "No background work has failed." in client.get(reverse("failed-tasks")).content.decode()


def test_the_home_page_links_operators_to_failed_work(client, operator, people):
    client.force_login(operator)
    assert reverse("failed-tasks") in client.get("/").content.decode()
    client.force_login(people.lead)
    assert reverse("failed-tasks") not in client.get("/").content.decode()


def test_the_demo_has_a_fictional_operator_who_reaches_the_failed_work_page(settings, client, people):
    from io import StringIO

    from django.core.management import call_command
    settings.DEMO = True
    call_command("seed_demo", stdout=StringIO())
    operator = get_user_model().objects.get(username="operator.demo")
    assert operator.is_superuser and operator.email.endswith("@example.invalid")
    client.force_login(operator)
    assert client.get(reverse("failed-tasks")).status_code == 200


def test_every_scheduled_task_is_a_registered_task():
    from django.conf import settings as django_settings

    from config.celery import app
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {"escalation.queue_reminders", "authorities.apply_retention", "insight.refresh",
                         "authorities.requeue_stalled"}
    assert scheduled <= set(app.tasks)


def test_the_nightly_jobs_run_once_a_day_however_often_the_schedule_fires(transactional_db):
    from authorities.tasks import apply_retention
    from insight.tasks import refresh

    assert apply_retention.apply().get() is True and apply_retention.apply().get() is False
    assert refresh.apply().get() is True and refresh.apply().get() is False
    today = timezone.localdate().isoformat()
    assert dict(BackgroundTask.objects.values_list("key", "state")) == {f"retention:{today}": State.DONE,
                                                                       f"insight:{today}": State.DONE}
