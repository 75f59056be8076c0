"""Assessments: the indicators a practitioner ticked for a child, against one catalogue version."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from authorities.actor import Actor
from authorities.models import Authority, Organisation
from catalogues.models import CatalogueVersion


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, actor: Actor) -> AssessmentQuerySet:
        """The one way to reach assessments: a practitioner sees only their own."""
        if actor.pk is None:
            return self.none()
        return self.filter(owner_id=actor.pk)

    def audited_by(self, actor: Actor) -> AssessmentQuerySet:
        """Records of the organisations this person leads, named on their audit page (nothing else)."""
        return self.filter(organisation_id__in=actor.lead_organisation_ids)


class Assessment(models.Model):
    class Mode(models.TextChoices):
        CONSULTATION = "consultation", "Consultation – no child details"
        NAMED = "named", "A named child"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="assessments")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.NAMED)
    child_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)  # expected due date of an unborn child
    reference = models.CharField(max_length=100, blank=True)
    ticks = models.JSONField(default=list)
    disability_ratings = models.JSONField(default=dict, blank=True)  # matrix area id -> low/moderate/high
    # The engine's level for the ticks, written by save_ticks only: lists and insight read it; the page
    # recomputes the whole suggestion (with its reasons) from the same ticks (docs/adr/0004).
    suggested_level = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen_level = models.PositiveSmallIntegerField(null=True, blank=True)
    chosen_reason = models.TextField(blank=True, max_length=5000)
    revision = models.PositiveIntegerField(default=1)  # bumped by every save: a stale tab gets a conflict
    # Read-only while a referral made from it is submitted, approved, sent or decided: what the lead
    # reviews cannot change underneath them. Set and cleared by the referral workflow.
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["created_at"], name="assessment_created_at"),  # the insight rollup
                   models.Index(fields=["owner", "-updated_at", "-id"], name="assessment_owner_updated")]  # my work

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def authority(self) -> Authority:
        """The partnership whose guidance applies: the one whose catalogue version it was made with."""
        return self.catalogue_version.authority

    @property
    def unborn(self) -> bool:
        return self.due_date is not None and self.date_of_birth is None

    @property
    def label(self) -> str:
        """How the assessment is named in lists: the child, or the consultation reference."""
        if self.mode == self.Mode.CONSULTATION:
            return f"Consultation {self.reference or self.pk}"
        return self.child_name or f"Assessment {self.pk}"


class Comparison(models.Model):
    """How another partnership's guidance saw an assessment's concerns (catalogues/compare.py): the
    counterparts proposed for the home ticks, those the practitioner confirmed, and both levels then.
    Never changes the assessment; reached only through it (``assessment.comparisons``)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comparisons")
    # The other partnership's version compared with (published versions never change).
    other_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="comparisons")
    home_ticks = models.JSONField(default=list)  # the assessment's ticks when compared
    home_level = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed = models.JSONField(default=list)  # [{"home": id, "candidates": [ids, best first], "why": [...]}]
    confirmed = models.JSONField(default=list)  # the other catalogue's indicator ids the practitioner confirmed
    other_level = models.PositiveSmallIntegerField(null=True, blank=True)  # the other suggestion's level
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The assessment started from it with the other partnership's guidance (a cross-border referral).
    started = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Comparison {self.pk}"
