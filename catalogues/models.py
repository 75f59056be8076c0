"""Catalogue versions: each partnership's guidance as immutable, numbered versions."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models

from authorities.models import Authority

from .schema import Catalogue


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Parsed catalogues by (version pk, content hash). Versions are immutable, so entries never go stale.
_PARSED: dict[tuple[int, str], Catalogue] = {}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class CatalogueVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CatalogueVersion.Status.PUBLISHED)

    def current_for(self, authority: Authority) -> CatalogueVersion | None:
        return self.published().filter(authority=authority).order_by("-number").first()

    def draft_for(self, authority: Authority) -> CatalogueVersion | None:
        return self.filter(authority=authority, status=CatalogueVersion.Status.DRAFT).first()

    def current_for_slug(self, slug: str) -> CatalogueVersion | None:
        return self.published().filter(authority__slug=slug).order_by("-number").first()


class CatalogueVersion(models.Model):
    """One immutable version of an authority's catalogue; assessments point at the one they used."""

    Status = VersionStatus

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="catalogue_versions")
    number = models.PositiveIntegerField(null=True, blank=True)  # given at publication; a draft has none
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=200, blank=True)  # e.g. "fixtures/catalogues/sefton.json"
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CatalogueVersionQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_catalogue_version"),
            models.UniqueConstraint(fields=["authority"], condition=models.Q(status=VersionStatus.DRAFT),
                                    name="one_draft_per_authority"),
            models.CheckConstraint(condition=models.Q(status=VersionStatus.DRAFT, number__isnull=True)
                                   | models.Q(status=VersionStatus.PUBLISHED, number__isnull=False),
                                   name="published_versions_are_numbered"),
        ]

    def __str__(self) -> str:
        return f"{self.authority.name} catalogue " + (f"v{self.number}" if self.number else "draft")

    @property
    def catalogue(self) -> Catalogue:
        """The parsed catalogue, cached per process (published versions never change).

        Querysets may defer ``content``: it is then read from the database only on a cache miss."""
        key = (self.pk, self.content_hash)
        parsed = _PARSED.get(key)
        if parsed is None:
            if len(_PARSED) > 200:
                _PARSED.clear()
            parsed = _PARSED[key] = Catalogue.model_validate_json(json.dumps(self.content))
        return parsed
