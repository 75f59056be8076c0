"""Partnerships (authorities), organisations, memberships with roles, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Authority(models.Model):
    """A local safeguarding partnership whose threshold guidance the product carries."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    partnership = models.CharField(max_length=300)
    # Retention: how long abandoned drafts and closed cases are kept, in days.
    retention_days = models.PositiveIntegerField(default=365)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A school, health trust, police team... Each belongs to one authority."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)
    # A school or other education setting: its practitioners' referrals are usually about its own pupils,
    # so a new draft starts with the child's school as the referrer's organisation.
    is_school = models.BooleanField("School or education setting", default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="unique_org_name")]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a person says about themselves once, so every new referral draft starts with it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    job_title = models.CharField("Job title or role", max_length=200, blank=True)
    phone = models.CharField("Phone number", max_length=50, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    CATALOGUE_ADMIN = "catalogue_admin", "Catalogue admin"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One access to or change of case data. Holds no child names and no free text."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A person, or else the named scheduled job that acted (exactly one of the two).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    job = models.CharField(max_length=40, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # ids and codes only, never free text

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # The audit page lists an organisation's events newest first, filtered by what was done or who did
        # it (or a date range): one index for each, in the order of the page (docs/performance.md).
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["organisation", "-at", "-id"], name="audit_org_at"),
                   models.Index(fields=["organisation", "action", "-at", "-id"], name="audit_org_action_at"),
                   models.Index(fields=["organisation", "actor", "-at", "-id"], name="audit_org_actor_at")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(actor__isnull=False) & models.Q(job=""))
                | (models.Q(actor__isnull=True) & ~models.Q(job="")),
                name="audit_actor_is_person_or_job",
            )
        ]

    def __str__(self) -> str:
        who = self.actor if self.actor_id else f"job:{self.job}"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class UserSession(models.Model):
    """Which sessions belong to whom, so disabling a user can end their sessions at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time recovery code for two-factor sign-in, stored hashed: the code is "LOOK-SECRET"; the
    lookup part finds the row, the secret part is checked against a salted PBKDF2 hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lookup = models.CharField(max_length=8)
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lookup"], name="unique_recovery_lookup")]

    def __str__(self) -> str:
        return f"recovery code {self.lookup} of {self.user_id}"


class BackgroundTask(models.Model):
    """One piece of background work (an email, a nightly job) and how it went. Its key makes it happen
    once however often it is queued or redelivered; its arguments stay here, so the broker carries only
    the key; a task that failed on every try stays `dead` until someone tries it again (docs/adr/0009)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting or being tried"
        DONE = "done", "Done"
        DEAD = "dead", "Failed on every try"

    key = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)  # the Celery task's registered name
    arguments = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # The exception's type only: an SMTP error's text can quote an address, and nothing personal is shown.
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The dead-letter page and the sweep for stalled tasks: one state, newest or oldest first.
        indexes = [models.Index(fields=["state", "updated_at"], name="task_state_updated")]

    def __str__(self) -> str:
        return f"{self.name} {self.key} ({self.state})"
