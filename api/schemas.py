"""What the API takes and gives, as pydantic types: the OpenAPI schema is generated from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

MAX_TICKS = settings.API_TICKS_MAX
TickId = Field(max_length=80)


class FieldError(Schema):
    field: str
    detail: str


class Problem(Schema):
    """An error (RFC 9457, application/problem+json): what went wrong, and where for a validation error."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[FieldError] = []


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class PartnershipOut(Schema):
    slug: str
    name: str
    partnership: str
    current_version: int | None


class PartnershipPage(Page):
    items: list[PartnershipOut]


class VersionOut(Schema):
    number: int
    published_at: datetime | None
    content_hash: str
    document_title: str
    document_edition: str


class VersionPage(Page):
    items: list[VersionOut]


class LevelOut(Schema):
    number: int
    code: str  # how the partnership names the level: "2", or "4b" in a scheme with sub-levels
    label: str
    band: str  # the national stage: universal, early_help, child_in_need, child_protection
    also_bands: list[str]
    name: str
    description: str
    route_kind: str
    route: str | None
    assessment: str | None
    lead: str | None
    consent: str
    source: str


class LevelPage(Page):
    items: list[LevelOut]


class SubDomainOut(Schema):
    id: str
    name: str


class DomainOut(Schema):
    id: str
    name: str
    source: str
    subdomains: list[SubDomainOut]


class DomainPage(Page):
    items: list[DomainOut]


class IndicatorOut(Schema):
    id: str
    text: str
    level: int
    domain: str
    subdomain: str | None
    applies_to: str
    child_protection: bool
    immediate_danger: bool
    codes: list[str] = Field(description="Children in Need census assessment factor codes")
    concepts: list[str] = Field(description="Shared-vocabulary concept ids")
    retired: bool
    source: str


class IndicatorPage(Page):
    items: list[IndicatorOut]


class ContactOut(Schema):
    id: str
    name: str
    role: str
    phone: str | None
    dial: list[str]
    email: str | None
    hours: str | None
    open_now: bool | None = Field(description="null: the guidance gives no hours")


class ContactPage(Page):
    items: list[ContactOut]


class SuggestIn(Schema):
    partnership: str = Field(max_length=50, description="A partnership's slug, e.g. sefton")
    version: int | None = Field(None, ge=1, le=100000, description="A published version; default: the current")
    ticks: list[str] = Field(max_length=MAX_TICKS, description="Indicator ids")
    at: datetime | None = Field(None, description="When (for open_now); default: now")
    unborn: bool = False


class FlagOut(Schema):
    kind: str
    message: str
    sentence: str
    source: str
    indicators: list[str]


class SuggestionOut(Schema):
    partnership: str
    version: int
    at: datetime
    suggested_level: int | None
    level_name: str | None
    level_label: str | None = None  # the partnership's own way of naming its levels, where the engine gives it
    band: str | None = None
    child_protection: bool
    immediate_danger: bool
    reasons: list[str]
    counts_by_level: dict[str, int]
    counts_by_domain: dict[str, int]
    flags: list[FlagOut]
    route_kind: str | None
    pathway: dict[str, Any] | None
    unborn_route: dict[str, Any] | None
    consent: dict[str, Any] | None
    child_protection_consent: dict[str, Any] | None
    contacts: list[ContactOut]
    emergency_contacts: list[ContactOut]


class AssessmentIn(Schema):
    partnership: str | None = Field(None, max_length=50,
                                    description="Whose guidance applies; default: the token organisation's")
    mode: Literal["named", "consultation"] = "named"
    child_name: str = Field("", max_length=200)
    date_of_birth: date | None = None
    due_date: date | None = Field(None, description="Expected due date of an unborn child")
    reference: str = Field("", max_length=100)


class TicksIn(Schema):
    ticks: list[str] = Field(max_length=MAX_TICKS, description="Indicator ids: all of them, replacing the old")
    revision: int = Field(ge=1, description="The revision read: a save since then is refused (409)")


class AssessmentOut(Schema):
    id: int
    partnership: str
    version: int
    mode: str
    child_name: str
    date_of_birth: date | None
    due_date: date | None
    reference: str
    ticks: list[str]
    revision: int
    locked: bool
    suggested_level: int | None
    chosen_level: int | None
    created_at: datetime
    updated_at: datetime
    suggestion: SuggestionOut


class DraftSummary(Schema):
    id: int
    status: str
    assessment: int
    child_name: str
    submitted_at: datetime | None
    updated_at: datetime


class DraftPage(Page):
    items: list[DraftSummary]


class DraftOut(DraftSummary):
    revision: int
    state: str = Field(description="The status line every printed page carries")
    decision_outcome: str | None = Field(description="The front door's decision in the Standard Safeguarding "
                                         "Dataset's outcome vocabulary (nfa, advice, early_help, cin_assessment, "
                                         "strategy_s47, existing_case); null until recorded")
    decision_on: date | None = Field(description="The day the front door decided; null until recorded")
    closure: str | None = Field(description="Closed without a referral by a safeguarding lead: no_referral (the "
                                "reason recorded) or advice (sought from the front door); null otherwise")
    content_hash: str
    record: dict[str, Any] = Field(description="The referral as it prints now (frozen once submitted)")


class ApprovedOut(Schema):
    draft: int
    submission: int
    submitted_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str
    lead_level: int | None
    lead_level_reason: str
    content_hash: str
    record: dict[str, Any] = Field(description="The approved referral: the snapshot the PDF prints")
