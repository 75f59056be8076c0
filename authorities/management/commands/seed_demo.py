"""Fictional organisations and users for the demo (`make run`). Refuses to run outside demo mode."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from authorities.models import Authority, Membership, Organisation, Role

DEMO_PASSWORD = "demo-only-not-secret"  # noqa: S105 - printed on the console in demo mode only

ORGANISATIONS = ["Brightwater Primary School (fictional)", "Northgate Health Visiting Team (fictional)"]
PEOPLE = [
    ("practitioner", "Pat Example", Role.PRACTITIONER, 0),
    ("practitioner2", "Sam Sample", Role.PRACTITIONER, 0),
    ("lead", "Lee Placeholder", Role.SAFEGUARDING_LEAD, 0),
    ("nurse", "Nia Fictional", Role.PRACTITIONER, 1),
    ("nurselead", "Noor Madeup", Role.SAFEGUARDING_LEAD, 1),
    ("admin", "Ash Invented", Role.CATALOGUE_ADMIN, None),
]


class Command(BaseCommand):
    help = "Create fictional demo organisations and users, one per role per authority (demo mode only)."

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo runs only in demo mode (DJANGO_DEMO=1): it creates known passwords.")
        User = get_user_model()
        rows = []
        with transaction.atomic():
            for authority in Authority.objects.all():
                orgs = [Organisation.objects.get_or_create(authority=authority, name=n)[0] for n in ORGANISATIONS]
                partnership, _ = Organisation.objects.get_or_create(
                    authority=authority, name=f"{authority.name} partnership business unit (fictional)"
                )
                for key, name, role, org_index in PEOPLE:
                    username = f"{key}.{authority.slug}"
                    user, created = User.objects.get_or_create(
                        username=username,
                        defaults={"first_name": name.split()[0], "last_name": name.split()[1],
                                  "email": f"{username}@example.invalid"},
                    )
                    if created:
                        user.set_password(DEMO_PASSWORD)
                        user.save()
                    org = partnership if org_index is None else orgs[org_index]
                    Membership.objects.get_or_create(user=user, organisation=org, role=role)
                    rows.append((username, Role(role).label, org.name))
        self.stdout.write(f"Demo accounts (fictional; password for all: {DEMO_PASSWORD})")
        for username, role_label, org_name in rows:
            self.stdout.write(f"  {username:32} {role_label:18} {org_name}")
