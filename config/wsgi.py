import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view (and what they import: WeasyPrint and its fonts among them) and compile the tick's
    templates as the worker boots, before it takes a request. Left to the first request, this made one
    practitioner's tick wait 1.6 s after every worker restart (gunicorn's --max-requests restarts them all
    day; docs/performance.md)."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("login")  # builds the URL resolver, importing each app's urls and views
    for name in ("assessments/_tick_saved.html", "assessments/assessment_detail.html", "base.html"):
        get_template(name)


_warm_up()
