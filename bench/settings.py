"""Settings for `make bench`: the real settings, plus one minimal view to compare throughput with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
