from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogues.models import CatalogueVersion
from core.pdf import render_pdf
from referrals.sample import sample_context


class Command(BaseCommand):
    help = "Render a referral PDF of clearly fictional sample data for an authority: preview_referral SLUG --out F.pdf"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", required=True)

    def handle(self, *args, slug, out, **options):
        version = CatalogueVersion.objects.current_for_slug(slug)
        if version is None:
            raise CommandError(f"No published catalogue for {slug!r}; run load_catalogues first.")
        Path(out).write_bytes(render_pdf("referrals/pdf.html", sample_context(version.catalogue, version.number)))
        self.stdout.write(f"Wrote {out}")
