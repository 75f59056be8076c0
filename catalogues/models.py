"""Catalogue versions: each partnership's guidance as immutable, numbered versions."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import models

from authorities.models import Authority

from .schema import Catalogue


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ParsedCatalogues:
    """Parsed catalogues by (version pk, content hash), least recently used dropped first.

    A parsed catalogue is ~1.5 MB, so the size bounds a worker's memory; the few versions in use stay
    parsed instead of the whole cache being thrown away when it fills. Keys carry the content hash, so a
    draft edited since it was parsed is a miss, never a stale hit. Thread-safe for threaded workers."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[int, str], Catalogue] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> Catalogue | None:
        with self._lock:
            parsed = self._entries.get(key)
            if parsed is not None:
                self._entries.move_to_end(key)
            return parsed

    def put(self, key: tuple[int, str], parsed: Catalogue) -> None:
        with self._lock:
            self._entries[key] = parsed
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def keys(self) -> list[tuple[int, str]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_PARSED = ParsedCatalogues(maxsize=32)


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
            # Parsed outside the lock: two threads may both parse a cold version, which is harmless.
            parsed = Catalogue.model_validate_json(json.dumps(self.content))
            _PARSED.put(key, parsed)
        return parsed
