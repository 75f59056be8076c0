"""Run each catalogue file's worked examples through the level engine."""

from django.core.management.base import BaseCommand, CommandError

from catalogues.engine import Context, suggest
from catalogues.files import CatalogueFileError
from catalogues.services import CatalogueLoadError, catalogue_files, validate_files


class Command(BaseCommand):
    help = "Check that every worked example in the catalogue files gives its expected level."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*")
        parser.add_argument("--all", action="store_true", help="every catalogue in fixtures/catalogues/")

    def handle(self, *args, slugs, all, **options):
        if not slugs and not all:
            raise CommandError("Name an authority slug (e.g. sefton) or pass --all.")
        try:
            parsed = validate_files(catalogue_files(None if all else slugs))
        except (CatalogueLoadError, CatalogueFileError) as exc:
            raise CommandError(str(exc)) from None
        failures = 0
        for path, catalogue in parsed:
            for ex in catalogue.worked_examples:
                ctx = Context(unborn=ex.context.unborn)
                got = suggest(catalogue, ex.ticks, ctx).level_number
                ok = got == ex.expected_level
                failures += not ok
                mark = "ok  " if ok else "FAIL"
                self.stdout.write(f"{mark} {path.stem} {ex.id}: expected Level {ex.expected_level}, got Level {got}")
            if not catalogue.worked_examples:
                self.stdout.write(f"note {path.stem}: no worked examples")
        if failures:
            raise CommandError(f"{failures} worked example(s) give a different level.")
