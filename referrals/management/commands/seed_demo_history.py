"""A year of fictional case history for the demo's insight pages (`make run`, after seed_demo): in each
demo organisation, assessments, referrals, reviews, closures and the front door's decisions spread over
the last twelve months (referrals/history.py). Refuses to run outside demo mode; does nothing for an
organisation that already has it. Run `refresh_insight` after it so the dashboards show it."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import Assessment
from authorities import audit
from authorities.actor import Actor
from authorities.models import Membership, Organisation, Role
from catalogues.models import CatalogueVersion
from referrals import history


class Command(BaseCommand):
    help = "Create a year of fictional assessments, referrals and decisions in each demo organisation (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--per-organisation", type=int, default=40,
                            help="assessments per organisation (default 40)")

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo_history runs only in demo mode (DJANGO_DEMO=1): it writes fictional cases.")
        count = options["per_organisation"]
        if not 1 <= count <= 10_000:
            raise CommandError("--per-organisation must be between 1 and 10000.")
        job = Actor.system("demo history")
        end = timezone.localdate()
        for index, org in enumerate(Organisation.objects.select_related("authority").order_by("authority__slug", "pk")):
            members = Membership.objects.filter(organisation=org)
            practitioners = list(members.filter(role=Role.PRACTITIONER).values_list("user_id", flat=True))
            leads = list(members.filter(role=Role.SAFEGUARDING_LEAD).values_list("user_id", flat=True))
            version = CatalogueVersion.objects.current_for(org.authority)
            if not practitioners or not leads or version is None:
                continue
            if Assessment.objects.filter(organisation=org, reference=history.REFERENCE).exists():
                continue  # seeded before
            # The health visiting team's lead approves everything as it came: the insight page's prompt for
            # supervision has something to show.
            cast = history.Cast(org.pk, practitioners, leads, leads_change_things=org.is_school)
            made = history.seed(version, cast, count, end=end, seed=index + 1)
            audit.record(job, "demo.history_seeded", organisation=org, detail=made)
            self.stdout.write(f"{org.name}: {made['assessments']} fictional assessments, {made['drafts']} referrals")
