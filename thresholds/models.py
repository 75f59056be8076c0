"""Catalogue versions and assessments."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models

from authorities.models import Authority, Organisation

from .catalogue_schema import Catalogue


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Parsed catalogues by (version pk, content hash). Versions are immutable, so entries never go stale.
_PARSED: dict[tuple[int, str], Catalogue] = {}


class CatalogueVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CatalogueVersion.Status.PUBLISHED)

    def current_for(self, authority: Authority) -> CatalogueVersion | None:
        return self.published().filter(authority=authority).order_by("-number").first()

    def current_for_slug(self, slug: str) -> CatalogueVersion | None:
        return self.published().filter(authority__slug=slug).order_by("-number").first()


class CatalogueVersion(models.Model):
    """One immutable version of an authority's catalogue; assessments point at the one they used."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="catalogue_versions")
    number = models.PositiveIntegerField()
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
            models.UniqueConstraint(fields=["authority", "number"], name="unique_catalogue_version")
        ]

    def __str__(self) -> str:
        return f"{self.authority.name} catalogue v{self.number}"

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


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The one way to reach assessments: a practitioner sees only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Assessment(models.Model):
    class Mode(models.TextChoices):
        CONSULTATION = "consultation", "Consultation – no child details"
        NAMED = "named", "A named child"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="assessments")
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="assessments")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.NAMED)
    child_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)  # expected due date of an unborn child
    reference = models.CharField(max_length=100, blank=True)
    ticks = models.JSONField(default=list)
    disability_ratings = models.JSONField(default=dict, blank=True)  # matrix area id -> low/moderate/high
    suggested_level = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen_level = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def unborn(self) -> bool:
        return self.due_date is not None and self.date_of_birth is None

    @property
    def label(self) -> str:
        """How the assessment is named in lists: the child, or the consultation reference."""
        if self.mode == self.Mode.CONSULTATION:
            return f"Consultation {self.reference or self.pk}"
        return self.child_name or f"Assessment {self.pk}"
