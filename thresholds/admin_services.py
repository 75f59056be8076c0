"""Catalogue administration: draft versions edited in the browser, validated by the same schema as
the fixture files, compared with the published version, then published. Audited."""

from __future__ import annotations

import copy
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from authorities import access, audit
from authorities.models import Authority, Role

from .catalogue_files import CatalogueFileError, Problem, parse_catalogue
from .catalogue_schema import Catalogue
from .models import CatalogueVersion, content_hash
from .services import _removed_indicator_problems


class NotAllowed(Exception):
    pass


class Invalid(Exception):
    """The edit would make the catalogue invalid: the schema's messages, by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def admin_seat(user, authority: Authority):
    seat = next((s for s in access.seats(user)
                 if s.role == Role.CATALOGUE_ADMIN and s.organisation.authority_id == authority.pk), None)
    if seat is None:
        raise NotAllowed("Only a catalogue admin of this partnership can change its catalogue.")
    return seat


def _audit(user, authority, version: CatalogueVersion, action: str, **detail) -> None:
    seat = admin_seat(user, authority)
    audit.record(user, f"catalogue.{action}", version, role=seat.role, organisation=seat.organisation,
                 detail=detail)


def draft_for(authority: Authority) -> CatalogueVersion | None:
    return CatalogueVersion.objects.filter(authority=authority, status=CatalogueVersion.Status.DRAFT).first()


def _next_number(authority: Authority) -> int:
    return (CatalogueVersion.objects.filter(authority=authority).aggregate(n=Max("number"))["n"] or 0) + 1


def start_draft(user, authority: Authority) -> CatalogueVersion:
    admin_seat(user, authority)
    with transaction.atomic():
        Authority.objects.select_for_update().get(pk=authority.pk)
        existing = draft_for(authority)
        if existing:
            return existing
        current = CatalogueVersion.objects.current_for(authority)
        draft = CatalogueVersion.objects.create(
            authority=authority, number=_next_number(authority), status=CatalogueVersion.Status.DRAFT,
            content=copy.deepcopy(current.content), content_hash=current.content_hash, source="draft in the browser",
            created_by=user)
        _audit(user, authority, draft, "start_draft", from_version=current.number)
    return draft


def validate_content(content: dict, name: str = "draft") -> Catalogue:
    try:
        return Catalogue.model_validate_json(json.dumps(content))
    except ValidationError:
        try:
            return parse_catalogue(json.dumps(content, indent=2).encode(), name)
        except CatalogueFileError as exc:
            raise Invalid(exc.problems) from None


def _save(user, draft: CatalogueVersion, content: dict, action: str, **detail) -> Catalogue:
    if draft.status != CatalogueVersion.Status.DRAFT:
        raise NotAllowed("Only a draft version can be changed; published versions never change.")
    catalogue = validate_content(content)
    with transaction.atomic():
        draft.content = catalogue.model_dump(mode="json")
        draft.content_hash = content_hash(draft.content)
        draft.save(update_fields=["content", "content_hash"])
        _audit(user, draft.authority, draft, action, **detail)
    return catalogue


def edit_indicator(user, draft: CatalogueVersion, indicator_id: str, values: dict) -> Catalogue:
    content = copy.deepcopy(draft.content)
    item = next((i for i in content["indicators"] if i["id"] == indicator_id), None)
    if item is None:
        raise Invalid([Problem("id", f"no indicator {indicator_id!r} in this draft")])
    changed = sorted(k for k, v in values.items() if item.get(k) != v)
    item.update(values)
    return _save(user, draft, content, "edit_indicator", indicator=indicator_id, fields=changed)


def add_indicator(user, draft: CatalogueVersion, values: dict) -> Catalogue:
    content = copy.deepcopy(draft.content)
    content["indicators"].append(values)
    return _save(user, draft, content, "add_indicator", indicator=values.get("id", ""))


def retire_indicator(user, draft: CatalogueVersion, indicator_id: str, retired: bool = True) -> Catalogue:
    return edit_indicator(user, draft, indicator_id, {"retired": retired})


def move_indicator(user, draft: CatalogueVersion, indicator_id: str, direction: int) -> Catalogue:
    """Reorder: swap with the previous (-1) or next (+1) indicator of the same domain and level."""
    content = copy.deepcopy(draft.content)
    items = content["indicators"]
    n = next((k for k, i in enumerate(items) if i["id"] == indicator_id), None)
    if n is None:
        raise Invalid([Problem("id", f"no indicator {indicator_id!r} in this draft")])
    me = items[n]
    same = [k for k, i in enumerate(items) if (i["domain"], i.get("subdomain"), i["level"]) ==
            (me["domain"], me.get("subdomain"), me["level"])]
    pos = same.index(n)
    target = pos + direction
    if 0 <= target < len(same):
        other = same[target]
        items[n], items[other] = items[other], items[n]
    return _save(user, draft, content, "reorder_indicator", indicator=indicator_id, direction=direction)


EDITABLE_SECTIONS = ["levels", "domains", "contacts", "emergency", "consent_grounds", "rules", "lists",
                     "disability_matrix", "escalation", "worked_examples", "notes"]


def replace_section(user, draft: CatalogueVersion, section: str, raw_json: str) -> Catalogue:
    if section not in EDITABLE_SECTIONS:
        raise Invalid([Problem("section", f"{section!r} cannot be edited here")])
    try:
        value = json.loads(raw_json)
    except json.JSONDecodeError as exc:
        raise Invalid([Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")]) from None
    content = copy.deepcopy(draft.content)
    content[section] = value
    return _save(user, draft, content, "edit_section", section=section)


def upload(user, authority: Authority, data: bytes, filename: str) -> tuple[CatalogueVersion | None, Catalogue]:
    """Validate an uploaded file; if it differs from the published version, it becomes the draft."""
    admin_seat(user, authority)
    catalogue = parse_catalogue(data, filename)
    if catalogue.authority.slug != authority.slug:
        raise CatalogueFileError(filename, [Problem("authority.slug", f"is {catalogue.authority.slug!r}, but this is "
                                                                       f"the {authority.slug!r} catalogue")])
    current = CatalogueVersion.objects.current_for(authority)
    removed = _removed_indicator_problems(current.catalogue, catalogue)
    if removed:
        raise CatalogueFileError(filename, removed)
    content = catalogue.model_dump(mode="json")
    if content_hash(content) == current.content_hash:
        return None, catalogue
    draft = start_draft(user, authority)
    _save(user, draft, content, "upload", filename=filename[:100])
    return draft, catalogue


def publish(user, draft: CatalogueVersion) -> CatalogueVersion:
    authority = draft.authority
    admin_seat(user, authority)
    with transaction.atomic():
        Authority.objects.select_for_update().get(pk=authority.pk)
        draft = CatalogueVersion.objects.select_for_update().get(pk=draft.pk)
        if draft.status != CatalogueVersion.Status.DRAFT:
            raise NotAllowed("This version is already published.")
        current = CatalogueVersion.objects.current_for(authority)
        problems = _removed_indicator_problems(current.catalogue, draft.catalogue)
        if problems:
            raise Invalid(problems)
        if draft.content_hash == current.content_hash:
            raise NotAllowed("The draft is the same as the published version: there is nothing to publish.")
        latest = _next_number(authority) - 1
        if draft.number != latest:  # something was published after this draft began
            draft.number = latest + 1
        draft.status = CatalogueVersion.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
        _audit(user, authority, draft, "publish", number=draft.number, previous=current.number)
    return draft


def discard(user, draft: CatalogueVersion) -> None:
    admin_seat(user, draft.authority)
    if draft.status != CatalogueVersion.Status.DRAFT:
        raise NotAllowed("Only a draft can be discarded.")
    with transaction.atomic():
        _audit(user, draft.authority, CatalogueVersion.objects.current_for(draft.authority), "discard_draft",
               number=draft.number)
        draft.delete()
