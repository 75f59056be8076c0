import json

from django.core.management.base import BaseCommand, CommandError

from authorities.models import Authority
from catalogues.files import dump_catalogue
from catalogues.models import CatalogueVersion


class Command(BaseCommand):
    help = "Print an authority's current catalogue in the fixture format (or --flat indicator JSON)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--flat", action="store_true", help="indicators only, as flat JSON")

    def handle(self, *args, slug, flat, **options):
        authority = Authority.objects.filter(slug=slug).first()
        version = CatalogueVersion.objects.current_for(authority) if authority else None
        if version is None:
            raise CommandError(f"No published catalogue for {slug!r}; run load_catalogues first.")
        catalogue = version.catalogue
        if not flat:
            self.stdout.write(dump_catalogue(catalogue), ending="")
            return
        flat_doc = {
            "authority": slug,
            "version": version.number,
            "indicators": [
                {"id": i.id, "level": i.level, "domain": i.domain, "subdomain": i.subdomain, "text": i.text}
                for i in catalogue.indicators
            ],
        }
        self.stdout.write(json.dumps(flat_doc, ensure_ascii=False, indent=2))
