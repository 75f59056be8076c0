"""Writes for catalogues: loading the fixture files, and the admin's draft versions (edited in the
browser or uploaded, validated by the same schema, compared with the published version, published).
Publication happens in one place (`_publish`), which numbers versions; every admin change is audited."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from authorities import audit, rules
from authorities.actor import Actor
from authorities.models import Authority, Role
from core.errors import NotAllowed, Problem

from .files import CatalogueFileError, parse_catalogue, read_catalogue_file, read_json
from .models import CatalogueVersion, content_hash
from .schema import Catalogue

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



def _publish(authority: Authority, catalogue: Catalogue, *, version: CatalogueVersion | None = None,
             source: str = "", user=None) -> CatalogueVersion:
    """The one way a version is published: on the locked authority, after the ids-are-stable check,
    numbered one past the newest published version. `version` is a draft to publish; without it a
    new version is created (a fixture file). The caller holds the transaction."""
    current = CatalogueVersion.objects.current_for(authority)
    if current is not None:
        problems = _removed_indicator_problems(current.catalogue, catalogue)
        if problems:
            raise Invalid(problems)
    number = (CatalogueVersion.objects.published().filter(authority=authority)
              .aggregate(n=Max("number"))["n"] or 0) + 1
    content = catalogue.model_dump(mode="json")
    if version is None:
        version = CatalogueVersion(authority=authority, content=content, content_hash=content_hash(content),
                                   source=source, created_by=user)
    version.number, version.status, version.published_at = number, CatalogueVersion.Status.PUBLISHED, timezone.now()
    version.save()
    return version


def publish_catalogue(catalogue: Catalogue, *, source: str) -> LoadResult:
    """Store a validated fixture catalogue as the authority's new published version, unless unchanged."""
    digest = content_hash(catalogue.model_dump(mode="json"))
    with transaction.atomic():
        authority, _ = Authority.objects.select_for_update().update_or_create(
            slug=catalogue.authority.slug,
            defaults={"name": catalogue.authority.name, "partnership": catalogue.authority.partnership},
        )
        current = CatalogueVersion.objects.current_for(authority)
        if current is not None and current.content_hash == digest:
            return LoadResult(authority.slug, current.number or 0, created=False)
        try:
            version = _publish(authority, catalogue, source=source)
        except Invalid as exc:
            raise CatalogueLoadError([CatalogueFileError(source, exc.problems)]) from None
    return LoadResult(authority.slug, version.number or 0, created=True)


def load_catalogues(slugs: list[str] | None = None) -> list[LoadResult]:
    """Validate every file first, then load all of them in one transaction (all or nothing)."""
    parsed = validate_files(catalogue_files(slugs))
    with transaction.atomic():
        return [publish_catalogue(catalogue, source=f"fixtures/catalogues/{path.name}") for path, catalogue in parsed]


# --- Drafts edited by a catalogue admin ------------------------------------------------------


class Invalid(Exception):
    """The edit would make the catalogue invalid: the schema's messages, by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _require_admin(actor: Actor, authority: Authority) -> None:
    if not rules.can_administer_catalogue(actor, authority.pk):
        raise NotAllowed("Only a catalogue admin of this partnership can change its catalogue.")


def _audit(actor: Actor, authority: Authority, version: CatalogueVersion | None, action: str, **detail) -> None:
    seat = next(s for s in actor.seats if s.role == Role.CATALOGUE_ADMIN and s.organisation.authority_id == authority.pk)
    audit.record(actor, f"catalogue.{action}", version, organisation=seat.organisation, role=seat.role,
                 detail=detail)


def start_draft(actor: Actor, authority: Authority) -> CatalogueVersion:
    _require_admin(actor, authority)
    with transaction.atomic():
        Authority.objects.select_for_update().get(pk=authority.pk)
        existing = CatalogueVersion.objects.draft_for(authority)
        if existing:
            return existing
        current = CatalogueVersion.objects.current_for(authority)
        if current is None:
            raise NotAllowed(f"{authority.name} has no published catalogue yet: its first version is loaded from "
                             f"fixtures/catalogues/{authority.slug}.json with load_catalogues, then revised here.")
        draft = CatalogueVersion.objects.create(
            authority=authority, number=None, status=CatalogueVersion.Status.DRAFT,
            content=copy.deepcopy(current.content), content_hash=current.content_hash, source="draft in the browser",
            created_by=actor.user)
        _audit(actor, authority, draft, "start_draft", from_version=current.number)
    return draft


def validate_content(content: dict, name: str = "draft") -> Catalogue:
    try:
        return Catalogue.model_validate_json(json.dumps(content))
    except (ValidationError, ValueError):
        try:
            return parse_catalogue(json.dumps(content, indent=2).encode(), name)
        except CatalogueFileError as exc:
            raise Invalid(exc.problems) from None


def _save(actor: Actor, draft: CatalogueVersion, content: dict, action: str, **detail) -> Catalogue:
    _require_admin(actor, draft.authority)
    if draft.status != CatalogueVersion.Status.DRAFT:
        raise NotAllowed("Only a draft version can be changed; published versions never change.")
    catalogue = validate_content(content)
    with transaction.atomic():
        draft.content = catalogue.model_dump(mode="json")
        draft.content_hash = content_hash(draft.content)
        draft.save(update_fields=["content", "content_hash"])
        _audit(actor, draft.authority, draft, action, **detail)
    return catalogue


def edit_indicator(actor: Actor, draft: CatalogueVersion, indicator_id: str, values: dict) -> Catalogue:
    content = copy.deepcopy(draft.content)
    item = next((i for i in content["indicators"] if i["id"] == indicator_id), None)
    if item is None:
        raise Invalid([Problem("id", f"no indicator {indicator_id!r} in this draft")])
    changed = sorted(k for k, v in values.items() if item.get(k) != v)
    item.update(values)
    return _save(actor, draft, content, "edit_indicator", indicator=indicator_id, fields=changed)


def add_indicator(actor: Actor, draft: CatalogueVersion, values: dict) -> Catalogue:
    content = copy.deepcopy(draft.content)
    content["indicators"].append(values)
    return _save(actor, draft, content, "add_indicator", indicator=values.get("id", ""))


def retire_indicator(actor: Actor, draft: CatalogueVersion, indicator_id: str, retired: bool = True) -> Catalogue:
    return edit_indicator(actor, draft, indicator_id, {"retired": retired})


def move_indicator(actor: Actor, draft: CatalogueVersion, indicator_id: str, direction: int) -> Catalogue:
    """Reorder: swap with the previous (-1) or next (+1) indicator of the same domain and level."""
    content = copy.deepcopy(draft.content)
    items = content["indicators"]
    n = next((k for k, i in enumerate(items) if i["id"] == indicator_id), None)
    if n is None:
        raise Invalid([Problem("id", f"no indicator {indicator_id!r} in this draft")])
    me = items[n]
    same = [k for k, i in enumerate(items) if (i["domain"], i.get("subdomain"), i["level"]) ==
            (me["domain"], me.get("subdomain"), me["level"])]
    target = same.index(n) + direction
    if 0 <= target < len(same):
        other = same[target]
        items[n], items[other] = items[other], items[n]
    return _save(actor, draft, content, "reorder_indicator", indicator=indicator_id, direction=direction)


EDITABLE_SECTIONS = ["levels", "domains", "contacts", "emergency", "consent_grounds", "rules", "lists",
                     "disability_matrix", "escalation", "worked_examples", "notes"]


def replace_section(actor: Actor, draft: CatalogueVersion, section: str, raw_json: str) -> Catalogue:
    if section not in EDITABLE_SECTIONS:
        raise Invalid([Problem("section", f"{section!r} cannot be edited here")])
    value, problem = read_json(raw_json)
    if problem is not None:
        raise Invalid([problem])
    content = copy.deepcopy(draft.content)
    content[section] = value
    return _save(actor, draft, content, "edit_section", section=section)


def upload(actor: Actor, authority: Authority, data: bytes, filename: str) -> tuple[CatalogueVersion | None, Catalogue]:
    """Validate an uploaded file; if it differs from the published version, it becomes the draft."""
    _require_admin(actor, authority)
    catalogue = parse_catalogue(data, filename)
    if catalogue.authority.slug != authority.slug:
        raise CatalogueFileError(filename, [Problem("authority.slug", f"is {catalogue.authority.slug!r}, but this is "
                                                                       f"the {authority.slug!r} catalogue")])
    current = CatalogueVersion.objects.current_for(authority)
    removed = _removed_indicator_problems(current.catalogue, catalogue) if current else []
    if removed:
        raise CatalogueFileError(filename, removed)
    content = catalogue.model_dump(mode="json")
    if current is not None and content_hash(content) == current.content_hash:
        return None, catalogue
    draft = start_draft(actor, authority)
    _save(actor, draft, content, "upload", filename=filename[:100])
    return draft, catalogue


def publish(actor: Actor, draft: CatalogueVersion) -> CatalogueVersion:
    authority = draft.authority
    _require_admin(actor, authority)
    with transaction.atomic():
        Authority.objects.select_for_update().get(pk=authority.pk)
        draft = CatalogueVersion.objects.select_for_update().get(pk=draft.pk)
        if draft.status != CatalogueVersion.Status.DRAFT:
            raise NotAllowed("This version is already published.")
        current = CatalogueVersion.objects.current_for(authority)
        if current is not None and draft.content_hash == current.content_hash:
            raise NotAllowed("The draft is the same as the published version: there is nothing to publish.")
        version = _publish(authority, draft.catalogue, version=draft)
        _audit(actor, authority, version, "publish", number=version.number,
               previous=current.number if current else None)
    return version


def discard(actor: Actor, draft: CatalogueVersion) -> None:
    _require_admin(actor, draft.authority)
    if draft.status != CatalogueVersion.Status.DRAFT:
        raise NotAllowed("Only a draft can be discarded.")
    with transaction.atomic():
        _audit(actor, draft.authority, CatalogueVersion.objects.current_for(draft.authority), "discard_draft")
        draft.delete()
