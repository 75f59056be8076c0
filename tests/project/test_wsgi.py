"""The WSGI entry point gunicorn loads: a worker has imported every view before its first request."""

import os
import subprocess
import sys

from django.conf import settings


def test_a_worker_imports_the_views_and_compiles_the_tick_templates_as_it_boots():
    code = ("import sys, config.wsgi; from django.template import engines; "
            "loader = engines['django'].engine.template_loaders[0]; "
            "print('assessments.views' in sys.modules, 'referrals.views' in sys.modules, "
            "any('_tick_saved' in str(k) for k in loader.get_template_cache))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_TESTING": "1"}
    env.pop("DATABASE_URL", None)  # nothing here reads the database
    done = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True", "True"]
