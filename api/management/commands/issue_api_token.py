"""Issue an API token as a safeguarding lead, printing its secret once: for the demo and for set-up scripts.

    make manage ARGS="issue_api_token lead.sefton --name demo"
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api import services
from api.models import Scope
from authorities.actor import Actor
from core.errors import NotAllowed


class Command(BaseCommand):
    help = "Issue an API token for the organisation a safeguarding lead leads; prints the secret once."

    def add_arguments(self, parser):
        parser.add_argument("username", help="a safeguarding lead, e.g. lead.sefton in the demo")
        parser.add_argument("--name", required=True, help="the token's name (the audit trail shows it)")
        parser.add_argument("--scopes", nargs="+", default=list(Scope.values), choices=list(Scope.values))
        parser.add_argument("--days", type=int, default=30, help="days until it expires (default 30)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        actor = Actor.of(user)
        organisations = services.lead_organisations(actor)
        if not organisations:
            raise CommandError(f"{user.username} leads no organisation: only a safeguarding lead issues tokens.")
        try:
            token, secret = services.issue(actor, organisations[0], options["name"], options["scopes"],
                                           timezone.now() + timedelta(days=options["days"]))
        except NotAllowed as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:  # the organisation already has a token of that name
            raise CommandError(f"Could not issue the token: {exc}") from None
        self.stderr.write(f"Token {token.name!r} for {token.organisation.name}, scopes {', '.join(token.scopes)}, "
                          f"expires {token.expires_at:%d %B %Y}. The secret (shown once):")
        self.stdout.write(secret)
