"""Rebuild the insight figures (the nightly job; hourly is fine too): docs/insight.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from authorities.actor import Actor
from insight import services
from insight.measures import month_label, month_start, months_between, months_up_to, parse_month
from insight.tasks import MONTHS as DEFAULT_MONTHS  # this month and the twelve before


class Command(BaseCommand):
    help = ("Rebuild the insight dashboards' figures from the case tables, a month at a time: by default this "
            "month and the 12 before it; --since YYYY-MM from that month; --all every month with data.")

    def add_arguments(self, parser):
        parser.add_argument("--since", help="the first month to rebuild, as YYYY-MM")
        parser.add_argument("--all", action="store_true", help="rebuild every month that has data")

    def handle(self, *args, **options):
        this_month = month_start(timezone.localdate())
        if options["all"]:
            months = None
        elif options["since"]:
            first = parse_month(options["since"])
            if first is None:
                raise CommandError(f"--since {options['since']!r}: give a month as YYYY-MM, for example 2026-01.")
            if first > this_month:
                raise CommandError(f"--since {options['since']}: that month has not started yet.")
            months = months_between(first, this_month)
        else:
            months = months_up_to(this_month, DEFAULT_MONTHS)
        written = services.refresh(Actor.system(services.JOB), months)
        span = f"{month_label(months[0])} to {month_label(months[-1])}" if months else "every month with data"
        self.stdout.write(f"{written} figure(s) rebuilt for {span}.")
