from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from escalation.services import queue_reminders


class Command(BaseCommand):
    help = ("Email the people responsible for escalation steps due by the next working day or overdue (cron, or "
            "celery beat's escalation.queue_reminders). Each step is reminded once a day however often this runs. "
            "Exits non-zero when a reminder failed on every try, so cron reports it.")

    def handle(self, *args, **options):
        run = queue_reminders(timezone.localdate())
        self.stdout.write(f"{run.queued} reminder(s) queued, {run.already} already sent or queued today, "
                          f"{run.failed} failed")
        if run.failed:
            raise CommandError(f"{run.failed} reminder(s) could not be sent after retries: the failed background "
                               "tasks page lists them, and can try them again.")
