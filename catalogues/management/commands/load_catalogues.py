from django.core.management.base import BaseCommand, CommandError

from catalogues.files import CatalogueFileError
from catalogues.services import CatalogueLoadError, catalogue_files, load_catalogues, validate_files


class Command(BaseCommand):
    help = "Validate and load the catalogues in fixtures/catalogues/ (all, or the slugs named)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="authority slugs, e.g. sefton halton")
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")

    def handle(self, *args, slugs, check, **options):
        try:
            if check:
                parsed = validate_files(catalogue_files(slugs))
                for path, catalogue in parsed:
                    self.stdout.write(f"{path.name}: valid, {len(catalogue.indicators)} indicators")
                return
            results = load_catalogues(slugs)
        except (CatalogueLoadError, CatalogueFileError) as exc:
            raise CommandError(f"Nothing was loaded.\n{exc}") from None
        for r in results:
            what = "loaded as version" if r.created else "unchanged, still version"
            self.stdout.write(f"{r.slug}: {what} {r.version}")
