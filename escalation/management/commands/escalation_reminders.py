from django.core.management.base import BaseCommand
from django.utils import timezone

from escalation.services import send_reminders


class Command(BaseCommand):
    help = "Email the people responsible for escalation steps due by the next working day or overdue (cron)."

    def handle(self, *args, **options):
        sent = send_reminders(timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")
