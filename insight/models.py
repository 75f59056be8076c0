"""The insight rollup: counts per organisation, partnership, month, measure and key, rebuilt from the case
tables by the scheduled job (services.refresh), so a dashboard reads a few hundred rows whatever the size of
the case tables (docs/insight.md). Counts only: no child, no free text. Each partnership's totals are rows of
their own (no organisation), so the partnership's page does not sum every organisation's rows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from authorities.models import Authority, Organisation


class Measure(models.TextChoices):
    """What a figure counts (docs/insight.md defines each); the key says which part of it."""

    ASSESSMENTS = "assessments", "Assessments started"
    REFERRALS_SUBMITTED = "referrals_submitted", "Referrals first submitted for review"
    REFERRALS_SENT = "referrals_sent", "Referrals sent to the front door"
    CLOSED = "closed", "Closed without a referral (key: how)"
    DECIDED = "decided", "Front-door decisions (key: outcome)"
    PRACTITIONER_VS_SUGGESTED = "practitioner_vs_suggested", "Practitioner's level against the suggestion"
    LEAD_VS_PRACTITIONER = "lead_vs_practitioner", "Lead's level against the practitioner's"
    FRONTDOOR_VS_LEVEL = "frontdoor_vs_level", "Front door's stage against the referral's level"
    CODE = "code", "Assessments with a concern of a CIN census code (key: code)"
    REVIEW_DAYS = "review_days", "Working days from submission to review (key: bucket)"
    DECISION_DAYS = "decision_days", "Working days from sending to the decision (key: bucket)"
    LEAD_REVIEWS = "lead_reviews", "Reviews by a lead (key: the lead's user id)"
    LEAD_CHANGES = "lead_changes", "Reviews that returned, closed or changed the level (key: the lead's user id)"


class Figure(models.Model):
    # The partnership whose guidance the assessment was made with (its catalogue version's), and the
    # organisation of the assessment or draft: an organisation may use another partnership's guidance.
    # No organisation: the partnership's total over all organisations (written by the same refresh).
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    month = models.DateField()  # the first day of the month the event happened in (UK time)
    measure = models.CharField(max_length=32, choices=Measure.choices)
    key = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "authority", "month", "measure", "key"],
                                    name="unique_figure"),
            # A partnership's totals, once each (NULLs are distinct to the constraint above). Also the index of
            # the partnership's page: its months' rows, and no organisation's (docs/performance.md).
            models.UniqueConstraint(fields=["authority", "month", "measure", "key"],
                                    condition=Q(organisation__isnull=True), name="unique_partnership_figure"),
        ]
        indexes = [models.Index(fields=["organisation", "month"], name="figure_organisation_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.key} = {self.count}"


class RefreshState(models.Model):
    """When the figures were last rebuilt (one row): the dashboards say "Figures as of …"."""

    refreshed_at = models.DateTimeField()
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_refresh_state")]

    def __str__(self) -> str:
        return f"figures as of {self.refreshed_at:%Y-%m-%d %H:%M}"
