"""Fictional organisations and users for the demo (`make run`). Refuses to run outside demo mode."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from authorities.models import Authority, Membership, Organisation, Profile, Role

DEMO_PASSWORD = "demo-only-not-secret"  # noqa: S105 - printed on the console in demo mode only

# (name, is a school): a school's drafts start with the school as the child's setting.
ORGANISATIONS = [("Brightwater Primary School (fictional)", True), ("Northgate Health Visiting Team (fictional)", False)]
# (username stem, name, role, organisation index, job title): the job title starts each of their drafts.
PEOPLE = [
    ("practitioner", "Pat Example", Role.PRACTITIONER, 0, "Year 4 class teacher"),
    ("practitioner2", "Sam Sample", Role.PRACTITIONER, 0, "Teaching assistant"),
    ("lead", "Lee Placeholder", Role.SAFEGUARDING_LEAD, 0, "Designated safeguarding lead"),
    ("nurse", "Nia Fictional", Role.PRACTITIONER, 1, "Health visitor"),
    ("nurselead", "Noor Madeup", Role.SAFEGUARDING_LEAD, 1, "Named nurse for safeguarding"),
    ("admin", "Ash Invented", Role.CATALOGUE_ADMIN, None, "Partnership business officer"),
]


OPERATOR = "operator.demo"


class Command(BaseCommand):
    help = "Create fictional demo organisations and users, one per role per authority (demo mode only)."

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo runs only in demo mode (DJANGO_DEMO=1): it creates known passwords.")
        User = get_user_model()
        rows = []
        with transaction.atomic():
            for authority in Authority.objects.all():
                orgs = [Organisation.objects.update_or_create(authority=authority, name=n,
                                                              defaults={"is_school": school})[0]
                        for n, school in ORGANISATIONS]
                partnership, _ = Organisation.objects.get_or_create(
                    authority=authority, name=f"{authority.name} partnership business unit (fictional)"
                )
                for key, name, role, org_index, job_title in PEOPLE:
                    username = f"{key}.{authority.slug}"
                    user, created = User.objects.get_or_create(
                        username=username,
                        defaults={"first_name": name.split()[0], "last_name": name.split()[1],
                                  "email": f"{username}@example.invalid"},
                    )
                    if created:
                        user.set_password(DEMO_PASSWORD)
                        user.save()
                        Profile.objects.get_or_create(user=user, defaults={"job_title": job_title,
                                                                           "phone": "01234 000000 (fictional)"})
                    org = partnership if org_index is None else orgs[org_index]
                    Membership.objects.get_or_create(user=user, organisation=org, role=role)
                    rows.append((username, Role(role).label, org.name))
            # The service's operator: no seat in any organisation; sees background work that failed.
            operator, created = User.objects.get_or_create(
                username=OPERATOR, defaults={"first_name": "Olu", "last_name": "Operator",
                                             "email": f"{OPERATOR}@example.invalid", "is_superuser": True})
            if created:
                operator.set_password(DEMO_PASSWORD)
                operator.save()
            rows.append((OPERATOR, "Service operator", "no organisation: sees failed background work"))
        self.stdout.write(f"Demo accounts (fictional; password for all: {DEMO_PASSWORD})")
        for username, role_label, org_name in rows:
            self.stdout.write(f"  {username:32} {role_label:18} {org_name}")
