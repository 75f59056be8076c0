"""Print the engine's suggestion for a set of ticks against an authority's current catalogue."""

import json

from django.core.management.base import BaseCommand, CommandError

from authorities.models import Authority
from thresholds.engine import Context, suggest
from thresholds.models import CatalogueVersion


class Command(BaseCommand):
    help = "Suggest a level: suggest_level SLUG --ticks ID,ID,... [--unborn] [--json]"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--ticks", default="", help="comma-separated indicator ids")
        parser.add_argument("--unborn", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, slug, ticks, unborn, **options):
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
        s = suggest(catalogue, ids, Context(unborn=unborn))
        if options["json"]:
            out = s.as_json() | {"authority": slug, "version": version.number}
            self.stdout.write(_dumps(out))
            return
        if s.level is None:
            self.stdout.write("No ticks: no suggestion.")
            return
        self.stdout.write(f"Suggested: Level {s.level.number} – {s.level.name}")
        for r in s.reasons:
            self.stdout.write(f"  because: [{r.id}] {r.text}")
        for f in s.flags:
            self.stdout.write(f"  {f.kind}: {f.message}")
        self.stdout.write(f"Pathway: {s.level.response.text}")
        self.stdout.write(f"Consent: {s.level.consent.text}")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
