"""The catalogue file format: one JSON file per partnership under ``fixtures/catalogues/``.

Plain pydantic, no ORM, so the loader, the admin upload, the tests and the engine all validate
through the same rules. Fields named ``text`` (and a few others listed in ``VERBATIM_FIELDS``)
carry the guidance's own words and are checked against the seed documents by the fidelity test.
"""

from __future__ import annotations

from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .codes import assessment_factors, concept_ids

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LevelNumber = Annotated[int, Field(ge=1, le=9)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]

# Fields whose values are quoted from the guidance and must be found in the seed document.
VERBATIM_FIELDS = frozenset(
    {"text", "sentence", "low", "moderate", "high", "child_voice", "description"}
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Authority(Strict):
    slug: Slug
    name: Label  # e.g. "Sefton"
    partnership: Label  # e.g. "Sefton Safeguarding Children Partnership"


# Links in a catalogue are shown to practitioners: https only, never javascript: or plain http.
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$", max_length=500)]


class Document(Strict):
    title: Label
    edition: Label  # date or version the document gives, e.g. "2016" or "Version 3, April 2023"
    seed_file: Label  # file name under shared/seeds/ the catalogue was made from
    url: HttpsUrl | None = None


class Note(Strict):
    """A decision taken while transcribing: doubtful placement, repair, omission and why."""

    id: Id
    topic: Label
    decision: Text
    ids: list[Id] = []  # items the decision concerns


class Timescale(Strict):
    label: Label  # e.g. "Red", "MASH decision"
    text: Text  # the document's sentence
    hours: int | None = None
    working_days: int | None = None


class Response(Strict):
    """What to do at a level: the response pathway."""

    text: Text  # the document's response passage
    assessment: Label | None = None  # e.g. "Early Help Assessment", "Child and Family Assessment (s17)"
    lead: Label | None = None  # who leads, e.g. "Lead Professional", "Social worker"
    route: Label | None = None  # where to go, e.g. "Integrated Front Door"
    route_kind: Literal["universal", "early_help", "front_door"]
    timescales: list[Timescale] = []
    contact_ids: list[Id] = []
    source: Label


class GuidanceSentence(Strict):
    sentence: Text  # verbatim sentence of the guidance behind the flag
    source: Label


class ConsentRule(Strict):
    """The consent / information-sharing rule for a level, as the document words it.

    Only what the document states: no gate, approval or "explicit" requirement it does not give.
    Each part that the draft's check enforces carries the sentence its message quotes.
    """

    text: Text  # the document's rule, verbatim (shown on the suggestion panel)
    source: Label
    # required: seek consent before sharing or asking for support; best_practice: seek it, but
    # the document allows going ahead without it on its grounds; not_required: no consent needed.
    consent: Literal["required", "best_practice", "not_required"]
    # The document asks for explicit (not implicit) consent at this level.
    explicit: GuidanceSentence | None = None
    # A request without consent will not be accepted at this level (Halton below Level 4).
    refused_without_consent: GuidanceSentence | None = None
    # Tell the parents about the referral unless one of the lawful grounds applies.
    inform_parents: GuidanceSentence | None = None
    # Grounds, from Catalogue.consent_grounds, for going ahead without consent (or without telling
    # the parents). Complete: every ground the document gives for this level.
    lawful_ground_ids: list[Id] = []

    @model_validator(mode="after")
    def _coherent(self) -> ConsentRule:
        if self.refused_without_consent and self.consent != "required":
            raise ValueError("refused_without_consent needs consent 'required'")
        if self.consent == "best_practice" and not self.lawful_ground_ids:
            raise ValueError("consent 'best_practice' needs the lawful grounds for going ahead without it")
        return self


# The national stages of the continuum of need, lowest first: how levels of different schemes (four
# levels, three with "Family Help", sub-levels 4a/4b/4c) are compared and reported.
Band = Literal["universal", "early_help", "child_in_need", "child_protection"]
BANDS: tuple[Band, ...] = ("universal", "early_help", "child_in_need", "child_protection")
LevelCode = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]?[a-z]?$")]


class Level(Strict):
    number: LevelNumber  # 1..n in order: the engine's ordering
    code: LevelCode | None = None  # how the document names a sub-level, e.g. "4a"; the number otherwise
    name: Label  # the document's own name, e.g. "Universal", "Additional Needs"
    # The national stage of the level, read from the document (who leads, which assessment: early help
    # assessment, social-care assessment under s17, enquiry under s47), with the sentence that decides it.
    band: Band
    # Other stages the same level covers, where the document says so (Knowsley's Level 4 is both children
    # in need, s17, and children in need of protection, s47; a "Family Help" level is early help and s17).
    also_bands: list[Band] = []
    band_basis: GuidanceSentence
    description: Text  # the document's description of the level
    child_voice: Text | None = None  # voice-of-the-child quote where given
    source: Label
    response: Response
    consent: ConsentRule

    @property
    def shown_code(self) -> str:
        """The level as the document numbers it: "2", or "4a" for a sub-level."""
        return self.code or str(self.number)

    @property
    def short(self) -> str:
        """"Level 2", "Level 4a"."""
        return f"Level {self.shown_code}"

    @property
    def label(self) -> str:
        """How the product names a level everywhere: "Level 2 – Additional Needs", "Level 4a – …"."""
        return f"{self.short} – {self.name}"

    @property
    def bands(self) -> tuple[Band, ...]:
        """Every national stage the level covers, lowest first."""
        covered = {self.band, *self.also_bands}
        return tuple(b for b in BANDS if b in covered)


class SubDomain(Strict):
    id: Id
    name: Label
    source: Label


class Domain(Strict):
    id: Id
    name: Label
    source: Label
    subdomains: list[SubDomain] = []


class ChildProtectionReview(Strict):
    """Whether an indicator is a child-protection concern that meets the top level on its own.

    Every top-level indicator carries one (decisive or not, with the sentence that justifies it),
    so the review is complete by construction; a lower-level indicator carries one only when the
    guidance treats it as child protection, which lifts it to the top level.
    """

    decisive: bool
    sentence: Text
    source: Label


class Indicator(Strict):
    id: Id
    text: Text
    level: LevelNumber
    domain: Id
    subdomain: Id | None = None
    source: Label
    # Only shown when the child is unborn (pre-birth assessments), or only for born children.
    applies_to: Literal["any", "unborn", "born"] = "any"
    # Immediate danger (not merely "an immediate referral"): show the emergency route first.
    immediate_danger: GuidanceSentence | None = None
    # A child-protection concern on its own: meets the top level whatever else is ticked.
    child_protection: ChildProtectionReview | None = None
    # Other words practitioners use for this concern (search only; not shown as guidance).
    keywords: list[Label] = []
    # The Children in Need census assessment factor codes that apply (catalogues/codes.py), e.g. "3B"
    # domestic abuse concerning a parent; and, where no code fits, concepts of the shared vocabulary.
    # The product's own tagging, not the guidance's words: used to compare partnerships and to report.
    codes: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}[A-Z]?$")]] = []
    concepts: list[Id] = []
    retired: bool = False


class OpeningWindow(Strict):
    days: list[Annotated[int, Field(ge=0, le=6)]]  # 0 = Monday
    start: HHMM
    end: HHMM  # may be earlier than start: the window runs past midnight


class Contact(Strict):
    id: Id
    name: Label
    role: Literal[
        "emergency",
        "police_non_emergency",
        "front_door",
        "early_help",
        "out_of_hours",
        "lado",
        "other",
    ]
    phone: Label | None = None  # the document's words; the dialable numbers come from phone_numbers()
    email: Label | None = None
    url: HttpsUrl | None = None
    hours: Label | None = None  # the document's words, e.g. "9am-5pm Monday to Thursday"
    # Machine-readable hours. No windows and not always_open = the guidance gives no hours, so the
    # product cannot say whether it is open now (it never guesses).
    always_open: bool = False
    windows: list[OpeningWindow] = []
    open_on_bank_holidays: bool = False
    source: Label


class EmergencyRoute(Strict):
    text: Text  # e.g. "If a child is in immediate danger ... call 999"
    contact_ids: list[Id]
    source: Label


class ConsentGround(Strict):
    id: Id
    text: Text
    source: Label


class Cumulative(Strict):
    """Several indicators at one level across domains: prompt to consider the next level."""

    min_indicators: Annotated[int, Field(ge=2)]
    min_domains: Annotated[int, Field(ge=1)]
    sentence: Text
    source: Label


class JudgementReminder(Strict):
    id: Id
    text: Text
    source: Label


class UnbornRoute(Strict):
    """Where the document sends any concern about an unborn baby, whatever its level."""

    sentence: Text
    source: Label
    route: Label
    contact_ids: list[Id] = Field(min_length=1)


class EngineRules(Strict):
    """Parameters of the level engine; authority differences live here, not in code."""

    # The document's sentence that a child-protection referral goes ahead without consent (or
    # that seeking it must not put the child at risk): the consent panel leads with it.
    child_protection_consent: GuidanceSentence
    # A caution the document gives about a lone top-level factor among lower ones (Knowsley):
    # shown as a prompt for judgement; it never lowers the level and never applies to a
    # child-protection concern.
    top_level_caution: GuidanceSentence | None = None
    cumulative: Cumulative | None = None
    unborn_route: UnbornRoute | None = None
    judgement_reminders: list[JudgementReminder] = []


class ListItem(Strict):
    id: Id
    text: Text
    url: HttpsUrl | None = None


class ReferenceList(Strict):
    """A list the guidance gives outside the level tables (s17/s47 criteria, golden rules...)."""

    id: Id
    kind: Literal[
        "unborn_risk_factors",
        "section_17",
        "section_47",
        "golden_rules",
        "signs_of_safety",
        "special_circumstances",
        "enquiries_without_consent",
        "disability_descriptors",
        "screening",
        "other",
    ]
    title: Label
    level: LevelNumber | None = None
    intro: Text | None = None
    source: Label
    items: list[ListItem] = Field(min_length=1)


class MatrixArea(Strict):
    id: Id
    name: Label
    low: Text
    moderate: Text
    high: Text


class MatrixBand(Strict):
    band: Literal["low", "moderate", "high"]
    assessment_of_need: Text
    desired_outcomes: Text
    allocation_of_resources: Text


class DisabilityMatrix(Strict):
    title: Label
    source: Label
    intro: Text | None = None
    areas: list[MatrixArea] = Field(min_length=1)
    bands: list[MatrixBand] = Field(min_length=3, max_length=3)


class EscalationStep(Strict):
    number: Annotated[int, Field(ge=1, le=10)]
    title: Label
    participants: Label
    produce: Label  # what must come out of the step, e.g. "an agreed plan of action"
    # None: the document gives no timescale for this stage (no deadline is shown or invented).
    working_days: Annotated[int, Field(ge=0, le=60)] | None = None
    text: Text
    source: Label


class Escalation(Strict):
    kind: Literal["steps", "pointer"]
    title: Label
    text: Text  # the document's introduction, or its pointer to another procedure
    url: HttpsUrl | None = None
    record_forms: list[Label] = []  # forms the guidance names, e.g. "Agency Escalation Summary Log"
    steps: list[EscalationStep] = []
    source: Label

    @model_validator(mode="after")
    def _steps_match_kind(self) -> Escalation:
        if self.kind == "steps" and not self.steps:
            raise ValueError("an escalation of kind 'steps' needs at least one step")
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"escalation steps must be numbered 1, 2, 3... in order, got {numbers}")
        return self


class ExampleContext(Strict):
    unborn: bool = False  # read by the engine (the unborn route), as for an assessment
    # The example child's age, for the person reading the example: the engine does not read it,
    # because no document grades a level by age.
    age_years: int | None = None


class WorkedExample(Strict):
    id: Id
    ticks: list[Id]
    context: ExampleContext = ExampleContext()
    expected_level: LevelNumber
    note: Text


class Catalogue(Strict):
    schema_version: Literal[1]
    authority: Authority
    document: Document
    notes: list[Note] = []
    levels: list[Level] = Field(min_length=2)
    domains: list[Domain] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    contacts: list[Contact] = Field(min_length=1)
    emergency: EmergencyRoute
    consent_grounds: list[ConsentGround] = []
    rules: EngineRules
    lists: list[ReferenceList] = []
    disability_matrix: DisabilityMatrix | None = None
    escalation: Escalation | None = None
    worked_examples: list[WorkedExample] = []

    # Built once per parsed catalogue (a published version is parsed once per process and never changes):
    # every tick looks its ids up, and building these each time was a tenth of the engine's work.
    @cached_property
    def indicators_by_id(self) -> MappingProxyType[str, Indicator]:
        return MappingProxyType({i.id: i for i in self.indicators})

    @cached_property
    def contacts_by_id(self) -> MappingProxyType[str, Contact]:
        return MappingProxyType({c.id: c for c in self.contacts})

    def model_copy(self, *, update=None, deep: bool = False) -> Catalogue:
        # A copy with other indicators or contacts must not carry the lookups built for this one.
        copied = super().model_copy(update=update, deep=deep)
        for lookup in ("indicators_by_id", "contacts_by_id"):
            copied.__dict__.pop(lookup, None)
        return copied

    @model_validator(mode="after")
    def _cross_references(self) -> Catalogue:
        # Each error is "place | reason" so the file reader can say where the problem is.
        errors: list[str] = []

        def err(place: str, reason: str) -> None:
            errors.append(f"{place} | {reason}")

        def unique(kind: str, field: str, items: list) -> set[str]:
            seen: set[str] = set()
            for n, item in enumerate(items):
                if item.id in seen:
                    err(f"{field}[{n}].id", f"duplicate {kind} id {item.id!r}: ids must be unique")
                seen.add(item.id)
            return seen

        level_numbers = [lv.number for lv in self.levels]
        if level_numbers != list(range(1, len(level_numbers) + 1)):
            err("levels", f"levels must be numbered 1, 2, 3... in order, got {level_numbers}")
        for place, reason in _level_scheme_problems(self.levels):
            err(place, reason)
        levels = set(level_numbers)
        domains = unique("domain", "domains", self.domains)
        subdomains = {d.id: {s.id for s in d.subdomains} for d in self.domains}
        for n, d in enumerate(self.domains):
            unique("sub-area", f"domains[{n}].subdomains", d.subdomains)
        indicators = unique("indicator", "indicators", self.indicators)
        contacts = unique("contact", "contacts", self.contacts)
        grounds = unique("consent ground", "consent_grounds", self.consent_grounds)
        unique("note", "notes", self.notes)
        unique("list", "lists", self.lists)
        for n, x in enumerate(self.lists):
            unique("list item", f"lists[{n}].items", x.items)
        unique("worked example", "worked_examples", self.worked_examples)
        unique("judgement reminder", "rules.judgement_reminders", self.rules.judgement_reminders)

        top = max(levels) if levels else None
        factors, concepts = assessment_factors(), concept_ids()
        for n, ind in enumerate(self.indicators):
            place = f"indicators[{n}](id={ind.id})"
            if ind.level not in levels:
                err(f"{place}.level", f"names level {ind.level}, which does not exist")
            elif ind.level == top and ind.child_protection is None and not ind.retired:
                err(f"{place}.child_protection", "a top-level indicator needs its child-protection review: "
                    "decisive true or false, with the guidance's sentence")
            elif ind.level != top and ind.child_protection is not None and not ind.child_protection.decisive:
                err(f"{place}.child_protection", "below the top level, give child_protection only for a "
                    "child-protection concern (decisive true)")
            if ind.immediate_danger is not None and not (ind.child_protection and ind.child_protection.decisive):
                err(f"{place}.child_protection", "an immediate-danger indicator is a child-protection concern: "
                    "set child_protection.decisive to true")
            for code in ind.codes:
                if code not in factors:
                    err(f"{place}.codes", f"{code!r} is not a current Children in Need census assessment factor "
                        "code (catalogues/data/cin-census-codes.json)")
            for concept in ind.concepts:
                if concept not in concepts:
                    err(f"{place}.concepts", f"{concept!r} is not a concept of the shared vocabulary "
                        "(catalogues/vocabulary.toml)")
            if ind.domain not in domains:
                err(f"{place}.domain", f"names unknown domain {ind.domain!r}")
            elif ind.subdomain is not None and ind.subdomain not in subdomains[ind.domain]:
                err(f"{place}.subdomain", f"names sub-area {ind.subdomain!r}, which is not a sub-area of {ind.domain!r}")
        for n, lv in enumerate(self.levels):
            for cid in lv.response.contact_ids:
                if cid not in contacts:
                    err(f"levels[{n}].response.contact_ids", f"names unknown contact {cid!r}")
            for gid in lv.consent.lawful_ground_ids:
                if gid not in grounds:
                    err(f"levels[{n}].consent.lawful_ground_ids", f"names unknown lawful ground {gid!r}")
        for cid in self.emergency.contact_ids:
            if cid not in contacts:
                err("emergency.contact_ids", f"names unknown contact {cid!r}")
        if self.rules.unborn_route is not None:
            for cid in self.rules.unborn_route.contact_ids:
                if cid not in contacts:
                    err("rules.unborn_route.contact_ids", f"names unknown contact {cid!r}")
        for n, x in enumerate(self.lists):
            if x.level is not None and x.level not in levels:
                err(f"lists[{n}](id={x.id}).level", f"names level {x.level}, which does not exist")
        for n, note in enumerate(self.notes):
            for i in note.ids:
                if i not in indicators | domains | contacts | grounds:
                    err(f"notes[{n}](id={note.id}).ids", f"names unknown item {i!r}")
        for n, ex in enumerate(self.worked_examples):
            for t in ex.ticks:
                if t not in indicators:
                    err(f"worked_examples[{n}](id={ex.id}).ticks", f"names unknown indicator {t!r}")
            if ex.expected_level not in levels:
                err(f"worked_examples[{n}](id={ex.id}).expected_level", f"level {ex.expected_level} does not exist")
        if errors:
            raise ValueError("; ".join(errors))
        return self


def _level_scheme_problems(levels: list[Level]) -> list[tuple[str, str]]:
    """A level scheme the engine and the comparisons can rely on: codes unique, each level's stages
    adjacent, stages never going down as levels go up, and child protection at the top level only
    (the engine lifts a child-protection concern to the top level)."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for n, lv in enumerate(levels):
        place = f"levels[{n}](number={lv.number})"
        if lv.shown_code in seen:
            problems.append((f"{place}.code", f"level code {lv.shown_code!r} is already used by level "
                             f"{seen[lv.shown_code]}: codes must be unique"))
        seen.setdefault(lv.shown_code, lv.number)
        if lv.band in lv.also_bands:
            problems.append((f"{place}.also_bands", f"repeats the level's band {lv.band!r}"))
        span = [BANDS.index(b) for b in lv.bands]
        if span != list(range(span[0], span[-1] + 1)):
            problems.append((f"{place}.also_bands", f"the stages a level covers must be adjacent, got {list(lv.bands)}"))
        if n:
            before = levels[n - 1]
            low, high = BANDS.index(lv.bands[0]), BANDS.index(lv.bands[-1])
            if (BANDS.index(lv.band) < BANDS.index(before.band) or low < BANDS.index(before.bands[0])
                    or high < BANDS.index(before.bands[-1])):
                problems.append((f"{place}.band", f"stages must not go down as levels go up: {lv.short} is "
                                 f"{list(lv.bands)}, below {before.short}'s {list(before.bands)}"))
    if levels:
        top = levels[-1]
        if top.band != "child_protection":
            problems.append((f"levels[{len(levels) - 1}](number={top.number}).band",
                             f"the top level's band must be 'child_protection', got {top.band!r}"))
        for n, lv in enumerate(levels[:-1]):
            if "child_protection" in lv.bands:
                problems.append((f"levels[{n}](number={lv.number}).band", "only the top level may be "
                                 "'child_protection': the engine lifts a child-protection concern to the top level"))
    return problems
