"""Who may do what: the one place the access rules live. Views and querysets call these."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Authority, Membership, Organisation, Role


@dataclass(frozen=True)
class Seat:
    """A user's role in one organisation: what the header shows and audit events record."""

    organisation: Organisation
    role: str

    @property
    def authority(self) -> Authority:
        return self.organisation.authority

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def seats(user) -> list[Seat]:
    """The user's memberships, practitioner seats first. Cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_seats", None)
    if cached is None:
        order = {Role.PRACTITIONER: 0, Role.SAFEGUARDING_LEAD: 1, Role.CATALOGUE_ADMIN: 2}
        rows = Membership.objects.filter(user=user).select_related("organisation__authority")
        cached = sorted((Seat(m.organisation, m.role) for m in rows), key=lambda s: (order[s.role], s.organisation.name))
        user._seats = cached
    return cached


def primary_seat(user) -> Seat | None:
    found = seats(user)
    return found[0] if found else None


def seat_for(user, role: str) -> Seat | None:
    return next((s for s in seats(user) if s.role == role), None)


def has_role(user, role: str) -> bool:
    return seat_for(user, role) is not None


def lead_organisation_ids(user) -> set[int]:
    return {s.organisation.pk for s in seats(user) if s.role == Role.SAFEGUARDING_LEAD}


def admin_authority_ids(user) -> set[int]:
    return {s.organisation.authority_id for s in seats(user) if s.role == Role.CATALOGUE_ADMIN}


def home_authority(user) -> Authority | None:
    seat = primary_seat(user)
    return seat.authority if seat else None
