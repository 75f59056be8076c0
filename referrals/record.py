"""The referral as a record: plain, JSON-ready data holding exactly what the printed referral shows.

One function builds it, for a live draft (printed as a draft for review) and for the snapshot frozen
at submission (what the lead reviews and what is sent). The PDF template reads only this record,
so what was approved is what prints, whatever changes later. No queries and no request: the draft's
fields and labels in, plain data out."""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast

from django.db import models
from django.utils.text import capfirst

from catalogues.engine import Suggestion
from catalogues.schema import Catalogue

from . import checks
from .models import Consent, Draft

# The narrative fields, labelled with the model's own words (one source for the page, the form and the print).
NARRATIVE = [(name, capfirst(str(cast(models.Field, Draft._meta.get_field(name)).verbose_name))) for name in (
    "worries", "working_well", "needs_to_happen", "child_voice", "strengths", "support_tried", "immediate_risks")]
CONSENT_LABELS = {code: str(label) for code, label in Consent.choices}
AWARE_LABELS = {"yes": "Yes", "no": "No"}
ROWS = {"household": ["name", "relationship", "parental_responsibility", "date_of_birth", "address"],
        "professionals": ["name", "role", "organisation", "contact"]}


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def build(draft: Any, *, catalogue: Catalogue, version_number: int | None, suggestion: Suggestion,
          ticks: list[str], unborn: bool) -> dict[str, Any]:
    """Everything the printed referral shows, as text, from a draft (a model or a plain namespace)."""
    chosen = checks.level_of(catalogue, draft.chosen_level)
    route = checks.route_for(catalogue, draft.chosen_level, unborn=unborn)
    ticked = set(ticks)
    ground = next((g for g in catalogue.consent_grounds if g.id == draft.consent_ground), None)
    return {
        "partnership": catalogue.authority.partnership,
        "authority": catalogue.authority.name,
        "document": f"{catalogue.document.title} ({catalogue.document.edition})",
        "document_title": catalogue.document.title,
        "catalogue_version": version_number,
        "title": route["title"],
        "level": {
            "suggested": suggestion.level.label if suggestion.level else "None",
            "suggested_number": suggestion.level_number,
            "chosen": chosen.label if chosen else "Not chosen",
            "chosen_number": draft.chosen_level,
            "reason": draft.level_reason,
            "child_protection": suggestion.child_protection,
            "immediate_danger": suggestion.immediate_danger,
        },
        "reasons": [{"id": i.id, "text": i.text, "level": i.level} for i in suggestion.reasons],
        "child": {
            "name": draft.child_name,
            "birth_label": "Expected due date" if draft.due_date and not draft.date_of_birth else "Date of birth",
            "birth": _date(draft.date_of_birth or draft.due_date),
            "address": draft.address, "school": draft.school, "gp": draft.gp,
            "language_needs": draft.language_needs, "disability": draft.disability,
        },
        "household": [{k: str(row.get(k, "")) for k in ROWS["household"]} for row in draft.household or []],
        "professionals": [{k: str(row.get(k, "")) for k in ROWS["professionals"]} for row in draft.professionals or []],
        "referrer": {k: getattr(draft, f"referrer_{k}") for k in ("name", "role", "organisation", "phone", "email")},
        "concerns": [{"domain": d.name, "items": [{"id": i.id, "text": i.text, "level": i.level} for i in items]}
                     for d in catalogue.domains
                     for items in [[i for i in catalogue.indicators if i.domain == d.id and i.id in ticked]] if items],
        "narrative": [{"label": label, "text": getattr(draft, key)} for key, label in NARRATIVE],
        "consent": {
            "parents_aware": AWARE_LABELS.get(draft.parents_aware, "Not recorded"),
            "consent": CONSENT_LABELS.get(draft.consent, "Not recorded"),
            "ground": ground.text if ground else "",
            "agreed_by": draft.consent_agreed_by,
            "rule": chosen.consent.text if chosen else "",
        },
        "route": {
            "response": chosen.response.text if chosen else "",
            "contacts": [{"name": c.name, "phone": c.phone or "", "email": c.email or "", "hours": c.hours or ""}
                         for c in route["contacts"]],
            "timescales": [{"label": t.label, "text": t.text} for t in route["timescales"]],
        },
        "emergency": catalogue.emergency.text,
        "ticks": sorted(ticked),
    }


def content_hash(record: dict[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """What differs between two records (a returned submission and the next), in plain words, for the lead."""
    out: list[dict[str, str]] = []

    def note(what: str, was: Any, now: Any) -> None:
        if was != now:
            out.append({"what": what, "was": str(was or "(empty)"), "now": str(now or "(empty)")})

    note("Level chosen", before["level"]["chosen"], after["level"]["chosen"])
    note("Why the level differs", before["level"]["reason"], after["level"]["reason"])
    was_ticked = {i["id"]: i["text"] for g in before["concerns"] for i in g["items"]}
    now_ticked = {i["id"]: i["text"] for g in after["concerns"] for i in g["items"]}
    for ind_id in now_ticked.keys() - was_ticked.keys():
        out.append({"what": "Concern added", "was": "", "now": now_ticked[ind_id]})
    for ind_id in was_ticked.keys() - now_ticked.keys():
        out.append({"what": "Concern removed", "was": was_ticked[ind_id], "now": ""})
    labels = {"name": "Child's name", "birth": "Date of birth or due date", "address": "Address",
              "school": "School or setting", "gp": "GP", "language_needs": "Language and communication needs",
              "disability": "Disability"}
    for key, label in labels.items():
        note(label, before["child"].get(key), after["child"].get(key))
    note("Household members", "; ".join(p["name"] for p in before["household"]),
         "; ".join(p["name"] for p in after["household"]))
    for old, new in zip(before["narrative"], after["narrative"], strict=True):
        note(new["label"], old["text"], new["text"])
    for key, label in {"parents_aware": "Parents or carers aware", "consent": "Consent",
                       "ground": "Lawful ground for going ahead without consent"}.items():
        note(label, before["consent"].get(key), after["consent"].get(key))
    return out
