# The Celery app loads with Django, so @shared_task binds to it and tasks can be queued from any process.
from .celery import app as celery_app

__all__ = ["celery_app"]
