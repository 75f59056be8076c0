"""Print the engine's suggestion for a set of ticks against an authority's current catalogue."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from authorities.models import Authority
from catalogues.contacts import LONDON
from catalogues.engine import Context, suggest
from catalogues.models import CatalogueVersion


class Command(BaseCommand):
    help = "Suggest a level: suggest_level SLUG --ticks ID,ID,... [--unborn] [--at ISO-DATETIME] [--json]"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--ticks", default="", help="comma-separated indicator ids")
        parser.add_argument("--unborn", action="store_true")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--at", help="the moment for 'open now', e.g. 2026-12-29T07:00:00+00:00 "
                                         "(no offset: UK time); default now")

    def handle(self, *args, slug, ticks, unborn, at=None, **options):
        when = None
        if at:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at {at!r} is not an ISO date and time, e.g. 2026-12-29T07:00:00+00:00") from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=LONDON)
        authority = Authority.objects.filter(slug=slug).first()
        version = CatalogueVersion.objects.current_for(authority) if authority else None
        if version is None:
            raise CommandError(f"No published catalogue for {slug!r}; run load_catalogues first.")
        catalogue = version.catalogue
        ids = [t.strip() for t in ticks.split(",") if t.strip()]
        known = {i.id for i in catalogue.indicators}
        unknown = [t for t in ids if t not in known]
        if unknown:
            raise CommandError(f"Unknown indicator id(s) in {slug} version {version.number}: {', '.join(unknown)}")
        s = suggest(catalogue, ids, Context(unborn=unborn, now=when))
        if options["json"]:
            out = s.as_json() | {"authority": slug, "version": version.number,
                                 "at": (when or datetime.now(tz=LONDON)).isoformat()}
            self.stdout.write(_dumps(out))
            return
        if s.level is None:
            self.stdout.write("No ticks: no suggestion.")
            return
        self.stdout.write(f"Suggested: {s.level.label}")
        for r in s.reasons:
            self.stdout.write(f"  because: [{r.id}] {r.text}")
        for f in s.flags:
            self.stdout.write(f"  {f.kind}: {f.message}")
        self.stdout.write(f"Pathway: {s.level.response.text}")
        self.stdout.write(f"Consent: {s.level.consent.text}")
        for c in s.emergency_contacts:
            state = {True: "open now", False: "closed now", None: "hours not given"}[c.open_now]
            self.stdout.write(f"Emergency: {c.contact.name} {c.contact.phone or ''} ({state})")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
