"""Referral drafts made from an assessment, and their history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from assessments.models import Assessment
from authorities.actor import Actor
from authorities.models import Authority, Organisation
from catalogues.models import CatalogueVersion


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent to the front door"
    DECIDED = "decided", "Decision recorded"
    CLOSED = "closed", "Closed without a referral"


class Closure(models.TextChoices):
    """How a lead closes a concern without a referral (Keeping Children Safe in Education: a decision
    not to refer is recorded, with why)."""

    NO_REFERRAL = "no_referral", "No referral – reason recorded"
    ADVICE = "advice", "Advice sought from the front door"


class FrontDoorOutcome(models.TextChoices):
    """The front door's decision in the Standard Safeguarding Dataset's outcome vocabulary
    (referrals/outcomes.py maps each to the SSD's flags and to a national stage)."""

    NFA = "nfa", "No further action"
    ADVICE = "advice", "Advice and information given"
    EARLY_HELP = "early_help", "Early help"
    CIN_ASSESSMENT = "cin_assessment", "Child in need assessment (section 17)"
    STRATEGY_S47 = "strategy_s47", "Strategy discussion or section 47 enquiry"
    EXISTING_CASE = "existing_case", "Already an open case"


class Consent(models.TextChoices):
    EXPLICIT = "explicit", "Yes – explicit consent given"
    IMPLICIT = "implicit", "Yes – implicit consent (they know and have not objected)"
    REFUSED = "refused", "No – consent was refused"
    NOT_SOUGHT = "not_sought", "No – consent was not sought"


STRENGTHS_SIGNS_OF_SAFETY = "What is working well?"


class DraftQuerySet(models.QuerySet):
    def for_user(self, actor: Actor) -> DraftQuerySet:
        """The one way to reach drafts: your own, and your organisation's once submitted if you lead it."""
        if actor.pk is None:
            return self.none()
        visible = Q(owner_id=actor.pk)
        if actor.lead_organisation_ids:
            visible |= Q(organisation_id__in=actor.lead_organisation_ids) & ~Q(status=Status.DRAFT)
        return self.filter(visible)

    def for_user_in(self, actor: Actor, organisation_id: int) -> DraftQuerySet:
        """`for_user`'s drafts of one organisation, said so the database can count them: for_user's OR
        filtered by the organisation again names it twice, and PostgreSQL then guesses a fourteenth of the
        rows and hash-joins every draft of a large school where it should read the newest few by index."""
        if actor.pk is None:
            return self.none()
        mine = Q(owner_id=actor.pk)
        if organisation_id in actor.lead_organisation_ids:
            mine |= ~Q(status=Status.DRAFT)
        return self.filter(mine, organisation_id=organisation_id)

    def waiting_for(self, actor: Actor) -> DraftQuerySet:
        """Submitted drafts this lead may review: their organisations', never their own."""
        return self.for_user(actor).filter(organisation_id__in=actor.lead_organisation_ids,
                                           status=Status.SUBMITTED).exclude(owner_id=actor.pk)

    def audited_by(self, actor: Actor) -> DraftQuerySet:
        """Records of the organisations this person leads, named on their audit page (nothing else)."""
        return self.filter(organisation_id__in=actor.lead_organisation_ids)

    def in_queue_order(self) -> DraftQuerySet:
        """Danger and child protection first (the waiting submission's frozen urgency), then the longest
        waiting: the review queue's order, in the database, so the queue pages without reading every record."""
        urgent = Subquery(Submission.objects.filter(draft=OuterRef("pk"), outcome=Submission.Outcome.WAITING)
                          .order_by("-number").values("urgent")[:1])
        return self.annotate(urgent=Coalesce(urgent, Value(False))) \
            .order_by("-urgent", F("submitted_at").asc(nulls_last=True), "pk")


class Draft(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="drafts")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="drafts")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The child
    child_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True, max_length=1000)
    school = models.CharField("School or setting", max_length=200, blank=True)
    gp = models.CharField("GP", max_length=200, blank=True)
    language_needs = models.TextField("Language and communication needs", blank=True, max_length=2000)
    disability = models.TextField(blank=True, max_length=2000)
    # Optional, never required: 10 digits, check digit validated (referrals/national.py); or the answer that
    # it is not known, or that asking for it would delay the referral.
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    nhs_number_unknown = models.BooleanField("NHS number not known, or asking for it would delay the referral",
                                             default=False)
    # Lists of dicts: household members and significant adults; other professionals involved.
    household = models.JSONField(default=list, blank=True)
    professionals = models.JSONField(default=list, blank=True)

    # The referrer
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=50, blank=True)
    referrer_email = models.EmailField(blank=True)

    # The concerns (ticked indicators come from the assessment)
    worries = models.TextField("What are we worried about?", blank=True, max_length=6000)
    # One strengths section: "What is working well?" where the partnership uses Signs of Safety
    # (STRENGTHS_SIGNS_OF_SAFETY), else this label. Migration 0004 joined the old working_well into it.
    strengths = models.TextField("Strengths and protective factors", blank=True, max_length=6000)
    needs_to_happen = models.TextField("What needs to happen?", blank=True, max_length=6000)
    child_voice = models.TextField("The child's voice and lived experience", blank=True, max_length=6000)
    support_tried = models.TextField("Support already tried and its effect", blank=True, max_length=6000)
    immediate_risks = models.TextField("Immediate risks", blank=True, max_length=6000)

    # Phone now: a child in immediate danger or a child-protection concern is phoned through before the
    # review; the call is recorded here (who, when, what they said), printed, and checked before submitting.
    phone_call_with = models.CharField("Who you spoke to", max_length=200, blank=True)
    phone_call_at = models.DateTimeField("When you phoned", null=True, blank=True)
    phone_call_outcome = models.TextField("What they said", blank=True, max_length=3000)

    # The level
    chosen_level = models.PositiveSmallIntegerField(null=True, blank=True)
    level_reason = models.TextField(blank=True, max_length=3000)

    # Consent
    parents_aware = models.CharField(max_length=8, blank=True, choices=[("yes", "Yes"), ("no", "No")])
    consent = models.CharField(max_length=16, blank=True, choices=Consent.choices)
    consent_ground = models.CharField(max_length=80, blank=True)  # a lawful ground id from the catalogue
    consent_agreed_by = models.CharField(max_length=200, blank=True)

    # After approval
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_how = models.CharField(max_length=100, blank=True)
    sent_reference = models.CharField(max_length=100, blank=True)
    # The front door's decision: its outcome in the SSD's vocabulary, the day they made it, and anything
    # they said (free text, optional); decision_at is when it was recorded here.
    decision_outcome = models.CharField(max_length=16, blank=True, choices=FrontDoorOutcome.choices)
    decision_on = models.DateField(null=True, blank=True)
    decision = models.TextField(blank=True, max_length=5000)
    decision_at = models.DateTimeField(null=True, blank=True)

    # Closed without a referral by a safeguarding lead: why, and what the organisation will do itself; or
    # advice sought from the front door (who, when, what they said).
    closure = models.CharField(max_length=16, blank=True, choices=Closure.choices)
    closure_reason = models.TextField("Why there is no referral", blank=True, max_length=5000)
    single_agency_action = models.TextField("What your organisation will do", blank=True, max_length=5000)
    advice_from = models.CharField("Who gave the advice", max_length=200, blank=True)
    advice_on = models.DateField("When", null=True, blank=True)
    advice_said = models.TextField("What they said", blank=True, max_length=5000)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        # The insight rollup (insight/) rebuilds a month at a time from these dates.
        indexes = [models.Index(fields=["submitted_at"], name="draft_submitted_at"),
                   models.Index(fields=["sent_at"], name="draft_sent_at"),
                   models.Index(fields=["decision_on"], name="draft_decision_on"),
                   models.Index(fields=["closed_at"], name="draft_closed_at"),
                   models.Index(fields=["owner", "-updated_at", "-id"], name="draft_owner_updated"),  # my work
                   # The count of returned and approved drafts in the header of every page (not all of the
                   # person's drafts read: 2 -> 0.1 ms for a practitioner with 4,000).
                   models.Index(fields=["owner", "status"], name="draft_owner_status"),
                   # The review queue and the notification count: an organisation's drafts in one state
                   # (the few waiting), not every draft it ever wrote (8 -> 2 ms at 24,000 drafts, SQLite);
                   # with the owner, it alone answers the API's count of a lead's drafts (4.4 -> 0.7 ms at
                   # 10,000 drafts in the school).
                   models.Index(fields=["organisation", "status", "owner"], name="draft_org_status"),
                   # The API's list of an organisation's drafts, newest first, a page at a time (5.7 -> 0.1 ms).
                   models.Index(fields=["organisation", "-updated_at", "-id"], name="draft_org_updated"),
                   # A lead's insight page: the organisation's latest practitioner's reasons for another level
                   # (at 10,000 drafts in the school it sorted all of them; now it reads the last few).
                   models.Index(fields=["organisation", "submitted_at"], name="draft_org_submitted")]

    def __str__(self) -> str:
        return f"Draft {self.pk}"

    # The partnership and catalogue version are the assessment's: one source, never copied.
    @property
    def catalogue_version(self) -> CatalogueVersion:
        return self.assessment.catalogue_version

    @property
    def authority(self) -> Authority:
        return self.assessment.catalogue_version.authority


REVIEW_FIELDS = ["outcome", "reviewed_by", "reviewed_at", "lead_level", "lead_level_reason"]


class SubmissionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenError("a submission is frozen: submit again to make a new one")


class FrozenError(RuntimeError):
    pass


class Submission(models.Model):
    """What was submitted for review, frozen: the referral record exactly as it prints (built by
    `referrals.record.build`), its hash, and the lead's review of it. Never changed once made; a
    returned draft that is submitted again makes a new submission."""

    class Outcome(models.TextChoices):
        WAITING = "", "Waiting for review"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"
        CLOSED = "closed", "Closed without a referral"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="submissions")  # retention only
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record = models.JSONField()
    content_hash = models.CharField(max_length=64)
    # Immediate danger or a child-protection concern in the frozen record: the review queue puts these first,
    # ordered in the database (so it pages without reading every waiting record).
    urgent = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The lead's own view of the level (None: they agree with the practitioner's), with their reason:
    # a review that can change the decision, not only stamp it.
    lead_level = models.PositiveSmallIntegerField(null=True, blank=True)
    lead_level_reason = models.TextField(blank=True, max_length=3000)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["draft", "number"]
        indexes = [models.Index(fields=["reviewed_at"], name="submission_reviewed_at"),
                   # A lead's insight page: the latest reviews that changed the level (about one in ten), newest
                   # first, not every review of the organisation sorted (docs/performance.md).
                   models.Index(fields=["reviewed_at"], condition=Q(lead_level__isnull=False),
                                name="submission_lead_level_reviewed")]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_submission_number")]

    def __str__(self) -> str:
        return f"Submission {self.number} of draft {self.draft_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and kwargs.get("update_fields") != REVIEW_FIELDS:
            raise FrozenError("a submission is frozen: only its review is recorded on it")
        super().save(*args, **kwargs)

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class DraftEvent(models.Model):
    """The draft's history: every transition with who and when (comments from the lead kept here)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True, max_length=5000)
    # The frozen submission this step made or reviewed (submit, approve, return).
    submission = models.ForeignKey("Submission", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class PreparedPdf(models.Model):
    """A long draft's PDF, rendered in the background (referrals/tasks.py) so the request does not wait on
    it, and kept only until the person who asked downloads it, or PREPARED_PDF_LIFETIME at most: it holds
    the child's details."""

    class State(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"
        TOO_LONG = "too_long", "Too long to print"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREPARING)
    pages = models.PositiveIntegerField(null=True, blank=True)
    body = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"PDF of draft {self.draft_id} ({self.state})"
