"""Fictional case data for the demo (`make run`, after seed_demo): in each partnership, one referral
approved by the lead (so the API example and the PDF have something to fetch) and one waiting for the
lead's review. Refuses to run outside demo mode; does nothing for a partnership that already has them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from assessments import services as assessment_services
from authorities.actor import Actor
from authorities.models import Authority
from catalogues.engine import is_child_protection
from catalogues.models import CatalogueVersion
from referrals import services
from referrals.models import Draft

# Obviously fictional children: the demo must never look like real case data.
CHILDREN = [("Demo Child Approved (fictional)", date(2017, 3, 14), "approve"),
            ("Demo Child Waiting (fictional)", date(2019, 9, 2), "submit")]
DRAFT = {
    "address": "1 Example Row, Nowhere Town, ZZ1 1ZZ (fictional)",
    "child_voice": "Says she is often hungry when she arrives at school (fictional demo text).",
    "household": [{"name": "Demo Parent (fictional)", "relationship": "Mother", "parental_responsibility": "yes",
                   "date_of_birth": "", "address": "", "same_address": True}],
    "parents_aware": "yes", "consent": "explicit",
}


class Command(BaseCommand):
    help = "Create fictional demo referrals, one approved and one waiting for review per partnership (demo only)."

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo_cases runs only in demo mode (DJANGO_DEMO=1).")
        User = get_user_model()
        # The demo's notifications would only fill the console: not sent for seeded cases.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for authority in Authority.objects.order_by("slug"):
                self._seed(User, authority)

    def _seed(self, User, authority) -> None:
        version = CatalogueVersion.objects.current_for(authority)
        practitioner = User.objects.filter(username=f"practitioner.{authority.slug}").first()
        lead = User.objects.filter(username=f"lead.{authority.slug}").first()
        if version is None or practitioner is None or lead is None:
            return
        writer, reviewer = Actor.of(practitioner), Actor.of(lead)
        if Draft.objects.for_user(writer).exists():
            return  # seeded before
        ticks = [i.id for i in version.catalogue.indicators
                 if i.level == 2 and not i.retired and not is_child_protection(i)][:3]
        for name, born, how_far in CHILDREN:
            assessment = assessment_services.start_assessment(writer, authority, mode="named", child_name=name,
                                                              date_of_birth=born)
            assessment_services.save_ticks(writer, assessment, ticks)
            draft = services.create_from_assessment(writer, assessment)
            draft = services.save(writer, draft, DRAFT | {"chosen_level": 2}, draft.revision)
            draft = services.submit(writer, draft)
            if how_far == "approve":
                services.approve(reviewer, draft, "Approved (fictional demo).")
        self.stdout.write(f"{authority.name}: demo referrals made (one approved, one waiting for review)")
