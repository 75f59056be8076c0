"""Who is acting: built once per request (or once per scheduled job) and passed to every service.

An `Actor` is a signed-in person with their seats (a role in an organisation), or a named
scheduled job. Services take an actor, decide with the named rules in `rules.py`, and write the
audit event through `audit.record(actor, ...)`, the only way to write one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from core.errors import NotAllowed

from .models import Authority, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROLE_ORDER = {Role.PRACTITIONER: 0, Role.SAFEGUARDING_LEAD: 1, Role.CATALOGUE_ADMIN: 2}
TOKEN_JOB_PREFIX = "API token "  # noqa: S105 (not a secret): how an API token is named in the audit trail


@dataclass(frozen=True)
class Seat:
    """A role in one organisation: what the header shows and audit events record."""

    organisation: Organisation
    role: str

    @property
    def authority(self) -> Authority:
        return self.organisation.authority

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass(frozen=True)
class Actor:
    user: User | None = None  # the signed-in user; None for a scheduled job
    seats: tuple[Seat, ...] = ()
    job: str = ""  # the name of a scheduled job ("retention", "reminders"), when no person acts
    _lead_orgs: frozenset[int] = field(default=frozenset(), repr=False, compare=False)

    @classmethod
    def of(cls, user: User | AnonymousUser | None) -> Actor:
        """The actor for a user, with their seats (one query), practitioner seats first."""
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return cls()
        # Read with the user on this request (authorities.backends), else now.
        rows = getattr(user, "seats_read_with_user", None)
        if rows is None:
            rows = Membership.objects.filter(user=user).select_related("organisation__authority")
        seats = tuple(sorted((Seat(m.organisation, m.role) for m in rows),
                             key=lambda s: (ROLE_ORDER[Role(s.role)], s.organisation.name)))
        leads = frozenset(s.organisation.pk for s in seats if s.role == Role.SAFEGUARDING_LEAD)
        return cls(user=user, seats=seats, _lead_orgs=leads)

    @classmethod
    def system(cls, job: str) -> Actor:
        """A scheduled job: it cannot sign in, has no seat, and is named in the audit trail."""
        if not job:
            raise ValueError("a system actor needs the job's name")
        return cls(job=job)

    @classmethod
    def for_token(cls, user: User, organisation: Organisation, name: str) -> Actor:
        """An organisation's API token (api/): it acts as the person who issued it, with their seats in that
        organisation only, so the same querysets and rules apply (no second set); the audit trail names
        the token, not the person ("API token <name>"). Without a seat there it can do nothing."""
        rows = Membership.objects.filter(user=user, organisation=organisation).select_related("organisation__authority")
        seats = tuple(sorted((Seat(m.organisation, m.role) for m in rows), key=lambda s: ROLE_ORDER[Role(s.role)]))
        leads = frozenset(s.organisation.pk for s in seats if s.role == Role.SAFEGUARDING_LEAD)
        return cls(user=user, seats=seats, job=f"{TOKEN_JOB_PREFIX}{name}"[:40], _lead_orgs=leads)

    @property
    def is_person(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_system(self) -> bool:
        return bool(self.job)

    @property
    def pk(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def person(self) -> User:
        """The signed-in user, for work only a person does (owning a record); a scheduled job has none."""
        if self.user is None:
            raise NotAllowed("Only a signed-in person can do this.")
        return self.user

    @property
    def primary(self) -> Seat | None:
        """The seat that new work belongs to: the first, practitioner seats first."""
        return self.seats[0] if self.seats else None

    @property
    def home_authority(self) -> Authority | None:
        return self.primary.authority if self.primary else None

    def seat_for(self, role: str) -> Seat | None:
        return next((s for s in self.seats if s.role == role), None)

    def seat_in(self, organisation_id: int | None, role: str | None = None) -> Seat | None:
        return next((s for s in self.seats if s.organisation.pk == organisation_id
                     and (role is None or s.role == role)), None)

    def has_role(self, role: str) -> bool:
        return self.seat_for(role) is not None

    @property
    def lead_organisation_ids(self) -> frozenset[int]:
        return self._lead_orgs

    @property
    def admin_authority_ids(self) -> frozenset[int]:
        return frozenset(s.organisation.authority_id for s in self.seats if s.role == Role.CATALOGUE_ADMIN)
