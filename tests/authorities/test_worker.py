"""Background work through a real broker: a Celery worker started by the test on RabbitMQ (127.0.0.1:5672),
the email queued by another process (as a web server or cron would), sent by the worker, recorded done, and
not sent again when the same key is published twice. PostgreSQL only (the worker shares the test database):
it runs in `make test`'s PostgreSQL pass."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from authorities.models import BackgroundTask

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the worker shares the test database: runs in make test's PostgreSQL pass"),
    pytest.mark.django_db(transaction=True),
]


def _broker_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def environment(tmp_path):
    if not _broker_answers():
        pytest.fail("RabbitMQ does not answer on 127.0.0.1:5672: these machines run it (docs/deployment.md)")
    db = connection.settings_dict
    return {**os.environ, "DJANGO_TESTING": "1", "CELERY_BROKER_URL": BROKER,
            "CELERY_QUEUE": f"threshold-test-{os.getpid()}-{time.monotonic_ns()}",
            "DATABASE_URL": f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "outbox")}


@pytest.fixture
def worker(environment):
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield environment
    process.terminate()
    output = process.communicate(timeout=30)[0]
    assert "Traceback" not in output, output


def _in_another_process(environment: dict, code: str) -> None:
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment,  # noqa: S603
                   check=True, timeout=60, capture_output=True)


def _outbox(environment: dict) -> list[str]:
    folder = Path(environment["DJANGO_EMAIL_FILE_PATH"])
    return [p.read_text() for p in sorted(folder.glob("*.log"))] if folder.exists() else []


def _wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_email_queued_by_one_process_is_sent_once_by_the_worker(worker):
    _in_another_process(worker, "from authorities.tasks import send_email; send_email.enqueue('mail:one', "
                                "addresses=['lead@example.invalid'], subject='A draft waits for you', "
                                "text='A draft waits for you.', path='/review/')")
    assert _wait_for(lambda: BackgroundTask.objects.filter(key="mail:one", state="done").exists()), \
        "the worker did not send the email"
    [message] = _outbox(worker)
    assert "lead@example.invalid" in message and "Sign in to see it: http://127.0.0.1:8000/review/" in message
    # The broker redelivers, or the sweep publishes again: the key makes the second a no-op.
    _in_another_process(worker, "from authorities import background; background.publish('authorities.send_email', "
                                "'mail:one')")
    time.sleep(3)
    assert len(_outbox(worker)) == 1
    assert BackgroundTask.objects.get(key="mail:one").attempts == 1
