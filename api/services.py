"""Writes for the API: issuing and revoking tokens, finding the token a call carries, and creating an
assessment once per idempotency key. Each writes its audit event; who may act is decided by the named rules."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment
from authorities import audit, rules
from authorities.actor import Actor
from authorities.models import Authority, Organisation
from core.errors import NotAllowed

from .models import ApiToken, IdempotencyKey, Scope, hash_secret

SECRET_PREFIX = "tds_"  # noqa: S105 (a prefix, not a secret): marks a secret as this service's (secret scanners and people can tell what it is)


def lead_organisations(actor: Actor) -> list[Organisation]:
    """The organisations whose tokens this person manages: those they lead (the organisation's admin here)."""
    return [s.organisation for s in actor.seats if rules.leads(actor, s.organisation.pk)]


def tokens_for(actor: Actor) -> list[ApiToken]:
    return list(ApiToken.objects.filter(organisation_id__in=actor.lead_organisation_ids)
                .select_related("organisation", "created_by"))


def token_of(actor: Actor, pk: int) -> ApiToken | None:
    """A token of an organisation the actor leads, or None (the page answers 404)."""
    return ApiToken.objects.filter(pk=pk, organisation_id__in=actor.lead_organisation_ids).first()


def issue(actor: Actor, organisation: Organisation, name: str, scopes: list[str],
          expires_at: datetime) -> tuple[ApiToken, str]:
    """A new token and its secret: the secret is returned once and only its hash is kept."""
    if not rules.leads(actor, organisation.pk):
        raise NotAllowed("Only a safeguarding lead of the organisation can issue its API tokens.")
    if not scopes or set(scopes) - set(Scope.values):
        raise NotAllowed("Choose what the token may do.")
    if not timezone.now() < expires_at <= timezone.now() + timedelta(days=settings.API_TOKEN_DAYS_MAX + 1):
        raise NotAllowed(f"A token expires within {settings.API_TOKEN_DAYS_MAX} days.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(organisation=organisation, name=name, created_by=actor.person,
                                        expires_at=expires_at, scopes=sorted(set(scopes)), prefix=secret[:10],
                                        token_hash=hash_secret(secret))
        audit.record(actor, "api.token_issued", token, organisation=organisation,
                     detail={"scopes": token.scopes, "expires": token.expires_at.date().isoformat()})
    return token, secret


def revoke(actor: Actor, token: ApiToken) -> None:
    if not rules.leads(actor, token.organisation_id):
        raise NotAllowed("Only a safeguarding lead of the organisation can revoke its API tokens.")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(actor, "api.token_revoked", token, organisation=token.organisation)
    token.refresh_from_db(fields=["revoked_at"])


class TokenRefused(Exception):
    """The call's token is missing, unknown, expired or revoked, or its issuer no longer leads its organisation."""


def authenticate(secret: str) -> tuple[ApiToken, Actor]:
    """The token a call carries and the actor it acts as: the issuing lead, in the token's organisation only."""
    token = ApiToken.objects.select_related("organisation__authority", "created_by") \
        .filter(token_hash=hash_secret(secret)).first() if secret.startswith(SECRET_PREFIX) else None
    if token is None:
        raise TokenRefused("The token is not recognised.")
    if token.revoked_at is not None:
        raise TokenRefused("The token has been revoked.")
    if token.is_expired:
        raise TokenRefused("The token has expired.")
    if not token.created_by.is_active:
        raise TokenRefused("The person who issued the token can no longer sign in: ask a lead for a new token.")
    actor = Actor.for_token(token.created_by, token.organisation, token.name)
    if not rules.leads(actor, token.organisation_id):
        raise TokenRefused("The person who issued the token no longer leads its organisation: ask a lead "
                           "for a new token.")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):  # one write a minute at most
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, actor


def request_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class KeyReused(Exception):
    """The idempotency key was used before for a different request."""


def _replay(actor: Actor, token: ApiToken, key: str, digest: str) -> Assessment | None:
    found = IdempotencyKey.objects.filter(token=token, key=key).first()
    if found is None:
        return None
    if found.request_hash != digest:
        raise KeyReused()
    return Assessment.objects.for_user(actor).filter(pk=found.assessment_id).first()


def create_assessment(actor: Actor, token: ApiToken, authority: Authority, key: str | None,
                      **child: Any) -> tuple[Assessment, bool]:
    """Start an assessment (assessments.services, the same rules as the page); with a key, at most once per
    token and key, also when two retries race: the unique key decides, the loser's work is rolled back.
    Returns the assessment and whether this call made it."""
    digest = request_hash({"partnership": authority.slug, **child})
    if key:
        replayed = _replay(actor, token, key, digest)
        if replayed is not None:
            return replayed, False
    try:
        with transaction.atomic():
            assessment = assessment_services.start_assessment(actor, authority, **child)
            if key:
                IdempotencyKey.objects.create(token=token, key=key, request_hash=digest, assessment=assessment)
    except IntegrityError:
        replayed = _replay(actor, token, key or "", digest) if key else None
        if replayed is None:
            raise
        return replayed, False
    return assessment, True


def record_call(actor: Actor, token: ApiToken, action: str, obj=None, *, purpose: str = "",
                detail: dict[str, Any] | None = None) -> None:
    """An API call audited like a page view, under the token's organisation."""
    audit.record(actor, action, obj, organisation=token.organisation, purpose=purpose, detail=detail)
