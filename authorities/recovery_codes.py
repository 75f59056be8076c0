"""Recovery codes for two-factor sign-in, shown once and stored only as salted hashes."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone

from .models import RecoveryCode

HOW_MANY = 10
ITERATIONS = 100_000  # each check takes a few tens of milliseconds; the secret has 40 random bits
_SHAPE = re.compile(r"^([0-9a-f]{4})-?([0-9a-f]{10})$")
_hasher = PBKDF2PasswordHasher()


def looks_like_a_recovery_code(text: str) -> bool:
    return _SHAPE.match(text.strip().lower().replace(" ", "")) is not None


def issue(user) -> list[str]:
    """Replace the user's recovery codes with new ones; return them to show once."""
    codes: list[str] = []
    rows: list[RecoveryCode] = []
    for _ in range(HOW_MANY):
        lookup, secret = secrets.token_hex(2), secrets.token_hex(5)
        while lookup in {r.lookup for r in rows}:
            lookup = secrets.token_hex(2)
        rows.append(RecoveryCode(user=user, lookup=lookup,
                                 code_hash=_hasher.encode(secret, _hasher.salt(), iterations=ITERATIONS)))
        codes.append(f"{lookup}-{secret}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(rows)
    return codes


def use(user, text: str) -> bool:
    """True, and the code is spent, if `text` is one of the user's unused codes."""
    match = _SHAPE.match(text.strip().lower().replace(" ", ""))
    if match is None:
        return False
    lookup, secret = match.groups()
    with transaction.atomic():
        row = RecoveryCode.objects.select_for_update().filter(user=user, lookup=lookup, used_at__isnull=True).first()
        if row is None or not _hasher.verify(secret, row.code_hash):
            return False
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    return True


def left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
