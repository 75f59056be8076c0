"""The Celery application: settings from Django's (the CELERY_ names), tasks from each app's tasks.py.
Run a worker with `celery -A config worker` and the schedule with `celery -A config beat` (docs/deployment.md)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("threshold")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
