"""Writes for catalogues and assessments: the one place that changes their state."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from authorities import audit
from authorities.access import Seat
from authorities.models import Authority

from .catalogue_files import CatalogueFileError, Problem, read_catalogue_file
from .catalogue_schema import Catalogue
from .engine import Context, Suggestion, suggest
from .models import Assessment, CatalogueVersion, content_hash

CATALOGUE_DIR = Path(settings.BASE_DIR) / "fixtures" / "catalogues"


@dataclass(frozen=True)
class LoadResult:
    slug: str
    version: int
    created: bool


def catalogue_files(slugs: list[str] | None = None) -> list[Path]:
    files = sorted(CATALOGUE_DIR.glob("*.json"))
    if slugs:
        by_slug = {f.stem: f for f in files}
        missing = [s for s in slugs if s not in by_slug]
        if missing:
            raise CatalogueFileError(
                ", ".join(missing),
                [Problem("(command line)", f"no catalogue file fixtures/catalogues/{s}.json") for s in missing],
            )
        files = [by_slug[s] for s in slugs]
    return files


def validate_files(files: list[Path]) -> list[tuple[Path, Catalogue]]:
    """Validate every file before anything is written; collect every refusal."""
    parsed, errors = [], []
    for path in files:
        try:
            catalogue = read_catalogue_file(path)
        except CatalogueFileError as exc:
            errors.append(exc)
            continue
        if catalogue.authority.slug != path.stem:
            errors.append(
                CatalogueFileError(
                    path.name,
                    [Problem("authority.slug", f"is {catalogue.authority.slug!r} but the file is named {path.name}; they must match")],
                )
            )
            continue
        parsed.append((path, catalogue))
    if errors:
        raise CatalogueLoadError(errors)
    return parsed


class CatalogueLoadError(Exception):
    def __init__(self, errors: list[CatalogueFileError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _removed_indicator_problems(previous: Catalogue, new: Catalogue) -> list[Problem]:
    """Indicator ids are stable: a past assessment may point at any of them, so retire, never drop."""
    kept = {i.id for i in new.indicators}
    return [
        Problem(
            "indicators",
            f"indicator {ind.id!r} is in the current version but missing from this file; "
            "keep it with \"retired\": true instead of removing it",
        )
        for ind in previous.indicators
        if ind.id not in kept
    ]


def publish_catalogue(catalogue: Catalogue, *, source: str, user=None) -> LoadResult:
    """Store a validated catalogue as the authority's new published version, unless unchanged."""
    content = catalogue.model_dump(mode="json")
    digest = content_hash(content)
    with transaction.atomic():
        authority, _ = Authority.objects.select_for_update().update_or_create(
            slug=catalogue.authority.slug,
            defaults={"name": catalogue.authority.name, "partnership": catalogue.authority.partnership},
        )
        current = CatalogueVersion.objects.current_for(authority)
        if current is not None and current.content_hash == digest:
            return LoadResult(authority.slug, current.number, created=False)
        if current is not None:
            problems = _removed_indicator_problems(current.catalogue, catalogue)
            if problems:
                raise CatalogueLoadError([CatalogueFileError(source, problems)])
        last = CatalogueVersion.objects.filter(authority=authority).order_by("-number").first()
        version = CatalogueVersion.objects.create(
            authority=authority,
            number=(last.number + 1) if last else 1,
            status=CatalogueVersion.Status.PUBLISHED,
            content=content,
            content_hash=digest,
            source=source,
            created_by=user,
            published_at=timezone.now(),
        )
    return LoadResult(authority.slug, version.number, created=True)


def load_catalogues(slugs: list[str] | None = None) -> list[LoadResult]:
    """Validate every file first, then load all of them in one transaction (all or nothing)."""
    parsed = validate_files(catalogue_files(slugs))
    with transaction.atomic():
        return [
            publish_catalogue(catalogue, source=f"fixtures/catalogues/{path.name}")
            for path, catalogue in parsed
        ]


# --- Assessments -------------------------------------------------------------------------------



class StaleRevision(Exception):
    """Someone else saved the record since this page was loaded."""


def context_for(assessment: Assessment) -> Context:
    return Context(unborn=assessment.unborn)


def suggestion_for(assessment: Assessment) -> Suggestion:
    return suggest(assessment.catalogue_version.catalogue, assessment.ticks, context_for(assessment))


def start_assessment(user, seat: Seat, authority: Authority, **child) -> Assessment:
    version = CatalogueVersion.objects.current_for(authority)
    if version is None:
        raise ValueError(f"{authority.name} has no published catalogue")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            owner=user, organisation=seat.organisation, authority=authority, catalogue_version=version, **child
        )
        audit.record(user, "assessment.create", assessment, role=seat.role, organisation=seat.organisation)
    return assessment


def save_ticks(user, seat: Seat, assessment: Assessment, tick_ids: list[str], ratings: dict | None = None) -> Suggestion:
    """Replace the ticks (only ids the assessment's own catalogue version knows), recompute, save."""
    catalogue = assessment.catalogue_version.catalogue
    known = {i.id for i in catalogue.indicators}
    ticks = [t for t in dict.fromkeys(tick_ids) if t in known]
    assessment.ticks = ticks
    if ratings is not None:
        assessment.disability_ratings = ratings
    suggestion = suggest(catalogue, ticks, context_for(assessment))
    assessment.suggested_level = suggestion.level_number
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            ticks=ticks,
            disability_ratings=assessment.disability_ratings,
            suggested_level=assessment.suggested_level,
            revision=models.F("revision") + 1,
            updated_at=timezone.now(),
        )
        audit.record(user, "assessment.tick", assessment, role=seat.role, organisation=seat.organisation,
                     detail={"ticks": len(ticks)})
    assessment.revision += 1
    return suggestion


def choose_level(user, seat: Seat, assessment: Assessment, level: int | None, reason: str) -> None:
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            chosen_level=level, chosen_reason=reason, revision=models.F("revision") + 1, updated_at=timezone.now()
        )
        audit.record(user, "assessment.choose_level", assessment, role=seat.role, organisation=seat.organisation,
                     detail={"level": level})
    assessment.chosen_level, assessment.chosen_reason = level, reason


def record_view(user, seat: Seat | None, assessment: Assessment, action: str = "assessment.view") -> None:
    audit.record(user, action, assessment, role=seat.role if seat else "",
                 organisation=seat.organisation if seat else None)
