from django.core.management.base import BaseCommand

from authorities.retention import apply_retention


class Command(BaseCommand):
    help = "Delete abandoned drafts, old assessments and closed escalations past each authority's retention (cron)."

    def handle(self, *args, **options):
        counts = apply_retention()
        self.stdout.write(", ".join(f"{n} {what} removed" for what, n in counts.items()))
