"""Referrals' background work, for Celery to find: a long draft's PDF (defined beside the rest of the print
rules in services.py)."""

from .services import _render_prepared_pdf

__all__ = ["_render_prepared_pdf"]
