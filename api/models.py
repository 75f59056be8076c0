"""API tokens (an organisation's, stored hashed) and the idempotency keys of creating calls."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Assessment
from authorities.models import Organisation


class Scope(models.TextChoices):
    READ = "read", "Read assessments"
    CREATE_ASSESSMENTS = "create_assessments", "Create assessments and save their ticks"
    READ_DRAFTS = "read_drafts", "Read submitted referral drafts and approved referrals"


def hash_secret(secret: str) -> str:
    """The secret is 256 random bits, so one sha256 suffices (no salt or stretching: nothing to guess)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A named token of one organisation. It acts as the lead who issued it (authorities.actor.Actor.for_token)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    scopes = models.JSONField(default=list)  # Scope values
    # The first characters of the secret, shown in the list so a holder can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_api_token_name")]

    def __str__(self) -> str:
        return f"API token {self.name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scopes if s in Scope.values]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyKey(models.Model):
    """A creating call made with an Idempotency-Key: the same key from the same token gets the same record."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)  # the same key with another body is refused
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return f"idempotency key of token {self.token_id}"
