"""Professional disagreements escalated through the partnership's steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from authorities.actor import Actor
from authorities.models import Authority, Organisation
from catalogues.models import CatalogueVersion


class EscalationQuerySet(models.QuerySet):
    def for_user(self, actor: Actor) -> EscalationQuerySet:
        """Your own cases, and your organisation's if you are its safeguarding lead."""
        if actor.pk is None:
            return self.none()
        return self.filter(Q(owner_id=actor.pk) | Q(organisation_id__in=actor.lead_organisation_ids))

    def audited_by(self, actor: Actor) -> EscalationQuerySet:
        """Records of the organisations this person leads, named on their audit page (nothing else)."""
        return self.filter(organisation_id__in=actor.lead_organisation_ids)


class EscalationCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="escalations")
    # The procedure followed: the draft's own catalogue version when the case comes from a draft
    # (services.open_case sets it so; docs/architecture.md), else the partnership's current one.
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="escalations")
    draft = models.ForeignKey("referrals.Draft", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="escalations")
    our_agency = models.CharField("Our agency", max_length=200)
    other_agency = models.CharField("The agency we disagree with", max_length=200)
    about = models.TextField("What the disagreement is about", max_length=5000)
    outcome_sought = models.TextField("The outcome we are seeking", max_length=3000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolution = models.TextField(blank=True, max_length=10000)
    learning = models.TextField(blank=True, max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The escalation list: an organisation's open (or closed) cases, not all it ever had.
        indexes = [models.Index(fields=["organisation", "status"], name="escalation_org_status")]

    def __str__(self) -> str:
        return f"Escalation {self.pk}"

    @property
    def authority(self) -> Authority:
        return self.catalogue_version.authority

    @property
    def current_step(self):
        steps = list(self.steps.all())
        return steps[-1] if steps else None


class EscalationStep(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "", "In progress"
        RESOLVED = "resolved", "Resolved"
        ESCALATED = "escalated", "Escalated to the next step"

    case = models.ForeignKey(EscalationCase, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)  # None where the procedure sets no timescale
    participants = models.TextField(blank=True, max_length=2000)
    discussion = models.TextField(blank=True, max_length=10000)
    agreed_plan = models.TextField(blank=True, max_length=10000)
    plan_due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="unique_step_number")]

    def __str__(self) -> str:
        return f"Step {self.number}"
