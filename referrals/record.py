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
from django.utils import timezone
from django.utils.text import capfirst

from catalogues.engine import Suggestion
from catalogues.schema import Catalogue

from . import checks
from .models import STRENGTHS_SIGNS_OF_SAFETY, Consent, Draft
from .national import spaced

# The narrative fields, labelled with the model's own words (one source for the page, the form and the print).
NARRATIVE = [(name, capfirst(str(cast(models.Field, Draft._meta.get_field(name)).verbose_name))) for name in (
    "worries", "strengths", "needs_to_happen", "child_voice", "support_tried", "immediate_risks")]
# Records frozen before the strengths sections were joined hold both; they still render, and compare as one.
OLD_STRENGTHS_LABELS = (STRENGTHS_SIGNS_OF_SAFETY, "Strengths and protective factors")
CONSENT_LABELS = {code: str(label) for code, label in Consent.choices}
AWARE_LABELS = {"yes": "Yes", "no": "No"}
WITHOUT_CONSENT = {"refused", "not_sought"}
ROWS = {"household": ["name", "relationship", "parental_responsibility", "date_of_birth", "address"],
        "professionals": ["name", "role", "organisation", "contact"]}


def narrative_label(key: str, label: str, *, signs_of_safety: bool) -> str:
    """A narrative field's heading: the strengths section is "What is working well?" in Signs of Safety."""
    return STRENGTHS_SIGNS_OF_SAFETY if key == "strengths" and signs_of_safety else label


def uses_signs_of_safety(catalogue: Catalogue) -> bool:
    return any(x.kind == "signs_of_safety" for x in catalogue.lists)


def household_row(row: dict, child_address: str) -> dict[str, Any]:
    """A household member as printed: one who lives at the child's address shows that address (what the
    front door needs to visit), and says it is the child's; older rows keep the address typed."""
    shown: dict[str, Any] = {k: str(row.get(k, "")) for k in ROWS["household"]}
    shown["same_address"] = bool(row.get("same_address"))
    if shown["same_address"]:
        shown["address"] = child_address
    return shown


def _when(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {local:%B %Y, %H:%M}"


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def build(draft: Any, *, catalogue: Catalogue, version_number: int | None, suggestion: Suggestion,
          ticks: list[str], unborn: bool) -> dict[str, Any]:
    """Everything the printed referral shows, as text, from a draft (a model or a plain namespace)."""
    chosen = checks.level_of(catalogue, draft.chosen_level)
    route = checks.route_for(catalogue, draft.chosen_level, unborn=unborn)
    ticked = set(ticks)
    # The reason is asked only without consent or without telling the parents; who it was discussed with,
    # only without consent: an answer left from before is not printed.
    without_consent = draft.consent in WITHOUT_CONSENT
    ground = next((g for g in catalogue.consent_grounds if g.id == draft.consent_ground), None) \
        if checks.consent_ground_asked(draft.consent, draft.parents_aware) else None
    signs_of_safety = uses_signs_of_safety(catalogue)
    # How the document numbers each level ("4a" for a sub-level), printed beside each concern.
    code = {lv.number: lv.shown_code for lv in catalogue.levels}
    phone_now = suggestion.immediate_danger or suggestion.child_protection
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
        "reasons": [{"id": i.id, "text": i.text, "level": i.level, "level_code": code[i.level]} for i in suggestion.reasons],
        "child": {
            "name": draft.child_name,
            "birth_label": "Expected due date" if draft.due_date and not draft.date_of_birth else "Date of birth",
            "birth": _date(draft.date_of_birth or draft.due_date),
            # Printed only when given (optional, never required); "not known" is not printed.
            "nhs_number": spaced(getattr(draft, "nhs_number", "") or ""),
            "address": draft.address, "school": draft.school, "gp": draft.gp,
            "language_needs": draft.language_needs, "disability": draft.disability,
        },
        "household": [household_row(row, draft.address) for row in draft.household or []],
        "professionals": [{k: str(row.get(k, "")) for k in ROWS["professionals"]} for row in draft.professionals or []],
        "referrer": {k: getattr(draft, f"referrer_{k}") for k in ("name", "role", "organisation", "phone", "email")},
        "concerns": [{"domain": d.name, "items": [{"id": i.id, "text": i.text, "level": i.level,
                                                    "level_code": code[i.level]} for i in items]}
                     for d in catalogue.domains
                     for items in [[i for i in catalogue.indicators if i.domain == d.id and i.id in ticked]] if items],
        "narrative": [{"key": key, "label": narrative_label(key, label, signs_of_safety=signs_of_safety),
                       "text": getattr(draft, key)} for key, label in NARRATIVE],
        # Phoned before the review: asked only when there is danger or a child-protection concern.
        "phone_call": {
            "needed": phone_now,
            "with": getattr(draft, "phone_call_with", ""),
            "at": _when(getattr(draft, "phone_call_at", None)),
            "outcome": getattr(draft, "phone_call_outcome", ""),
        },
        "consent": {
            "parents_aware": AWARE_LABELS.get(draft.parents_aware, "Not recorded"),
            "consent": CONSENT_LABELS.get(draft.consent, "Not recorded"),
            "ground": ground.text if ground else "",
            "agreed_by": draft.consent_agreed_by if without_consent else "",
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


WORRIES_LIMIT = 5000  # of the field's 6,000 characters: room left for what the practitioner saw


def worries_from_ticks(catalogue: Catalogue, ticks: list[str]) -> str:
    """Where "What are we worried about?" starts: the ticked concerns in the guidance's words, one line
    each under their area of need, for the practitioner to add what they saw and heard."""
    ticked = set(ticks)
    lines: list[str] = []
    left_out = 0
    for domain in catalogue.domains:
        items = [i.text for i in catalogue.indicators if i.domain == domain.id and i.id in ticked]
        if not items:
            continue
        group = [*([""] if lines else []), f"{domain.name}:", *(f"- {' '.join(t.split())}" for t in items)]
        if sum(len(x) + 1 for x in [*lines, *group]) > WORRIES_LIMIT:
            left_out += len(items)
            continue
        lines += group
    if left_out:
        lines += ["", f"(and {left_out} more concerns ticked: see the list of concerns)"]
    return "\n".join(lines)


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
    labels = {"name": "Child's name", "birth": "Date of birth or due date", "nhs_number": "NHS number",
              "address": "Address",
              "school": "School or setting", "gp": "GP", "language_needs": "Language and communication needs",
              "disability": "Disability"}
    for key, label in labels.items():
        note(label, before["child"].get(key), after["child"].get(key))
    note("Household members", "; ".join(p["name"] for p in before["household"]),
         "; ".join(p["name"] for p in after["household"]))
    was_said, now_said = _narrative_by_key(before), _narrative_by_key(after)
    for key, (label, text) in now_said.items():
        note(label, was_said.get(key, ("", ""))[1], text)
    note("Who was phoned", _call(before), _call(after))
    for key, label in {"parents_aware": "Parents or carers aware", "consent": "Consent",
                       "ground": "Lawful ground for going ahead without consent"}.items():
        note(label, before["consent"].get(key), after["consent"].get(key))
    return out


def _narrative_by_key(shown: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The narrative by field; a record frozen before the strengths sections were joined (no keys, both
    sections) reads as one strengths section, joined as migration 0004 joined the drafts."""
    by_label = {label: key for key, label in NARRATIVE}
    out: dict[str, tuple[str, str]] = {}
    for part in shown["narrative"]:
        key = part.get("key") or ("strengths" if part["label"] in OLD_STRENGTHS_LABELS
                                  else by_label.get(part["label"], part["label"]))
        if key in out:
            label, text = out[key]
            out[key] = (label, "\n\n".join(t for t in (text, part["text"]) if t))
        else:
            out[key] = (part["label"], part["text"])
    return out


def _call(shown: dict[str, Any]) -> str:
    call = shown.get("phone_call") or {}
    return " · ".join(x for x in (call.get("with", ""), call.get("at", ""), call.get("outcome", "")) if x)
