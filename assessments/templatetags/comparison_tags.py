"""The comparisons saved with an assessment, for its page (catalogues/compare.py, docs/comparing-partnerships.md)."""

from __future__ import annotations

from django import template

from assessments.models import Assessment, Comparison

register = template.Library()

SHOWN = 5  # the latest few: each links to its page


@register.simple_tag
def comparisons_of(assessment: Assessment) -> list[Comparison]:
    """The latest comparisons of an assessment the page already reached through the scoped queryset."""
    return list(assessment.comparisons.select_related("other_version__authority")
                .defer("other_version__content")[:SHOWN])
