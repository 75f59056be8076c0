from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from escalation.services import send_reminders


class Command(BaseCommand):
    help = ("Email the people responsible for escalation steps due by the next working day or overdue (cron). "
            "Exits non-zero when any reminder could not be sent, so cron reports it.")

    def handle(self, *args, **options):
        result = send_reminders(timezone.localdate())
        failed = len(result.failed)
        self.stdout.write(f"{result.sent} reminder(s) sent, {failed} failed")
        if failed:
            # Re-running sends every due reminder again (they are daily nudges, with no record of which went).
            raise CommandError(f"{failed} reminder(s) could not be sent after retries: see the log for which steps.")
