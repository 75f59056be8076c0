"""Write docs/search-vocabulary.md: the search vocabulary's concepts and where the guidance uses each term."""

from django.core.management.base import BaseCommand

from catalogues.search import vocabulary_page
from catalogues.services import catalogue_files, validate_files


class Command(BaseCommand):
    help = "Print the search vocabulary page (python manage.py vocabulary_report > docs/search-vocabulary.md)."

    def handle(self, *args, **options):
        parsed = validate_files(catalogue_files())
        self.stdout.write(vocabulary_page([(cat.authority.name, [i for i in cat.indicators if not i.retired])
                                           for _, cat in parsed]), ending="")
