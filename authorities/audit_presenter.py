"""The audit page in plain words: what each action means, and which record (the child named) it touched.

Each app above this one may have an `audit_names.py` with `names(actor, object_type, ids)` naming its own
records for the audit page, and optionally `ACTIONS` and `PURPOSES` (code → words) for its own action and
purpose codes; this gathers them (imports still point down: apps are found, not imported)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from .actor import TOKEN_JOB_PREFIX, Actor
from .models import AuditEvent, Role

# What a lead reads for each action code (codes stay in the database; the words can change).
ACTIONS: dict[str, str] = {
    "access.denied": "Tried to open a page or record they may not see",
    "assessment.create": "Started an assessment",
    "assessment.view": "Viewed the assessment",
    "assessment.tick": "Changed the ticked indicators",
    "assessment.choose_level": "Recorded their judgement of the level",
    "assessment.change_refused": "Tried to change the assessment (not saved)",
    "assessment.list": "Viewed their list of assessments and drafts",
    "assessment.compare": "Compared the assessment with another partnership's guidance (the assessment unchanged)",
    "audit.view": "Viewed this audit page",
    "draft.create": "Started a referral draft",
    "draft.view": "Viewed the referral draft",
    "draft.save": "Saved changes to the referral draft",
    "draft.save_refused": "Tried to save the referral draft (not saved)",
    "draft.submitted": "Submitted the draft for review",
    "draft.approved": "Approved the referral",
    "draft.returned": "Returned the draft with comments",
    "draft.sent": "Recorded the referral as sent",
    "draft.decision recorded": "Recorded the front door's decision",
    "draft.pdf": "Downloaded the referral as a PDF",
    "draft.pdf_refused": "Tried to download the PDF (refused)",
    "draft.export_national": "Downloaded the referral in national (SSD) terms, as JSON",
    "draft.export_national_refused": "Tried to download the referral in national (SSD) terms (refused)",
    "draft.refused": "Tried to change the draft's state (refused)",
    "draft.review_queue": "Viewed the review queue",
    "escalation.open": "Started an escalation",
    "escalation.view": "Viewed the escalation",
    "escalation.record_step": "Recorded an escalation step",
    "escalation.escalate": "Escalated to the next step",
    "escalation.close": "Closed the escalation",
    "escalation.pdf": "Downloaded an escalation form",
    "escalation.refused": "Tried to change the escalation (refused)",
    "escalation.list": "Viewed the list of escalations",
    "catalogue.start_draft": "Started a new catalogue draft",
    "catalogue.edit_indicator": "Changed an indicator in the catalogue draft",
    "catalogue.add_indicator": "Added an indicator to the catalogue draft",
    "catalogue.reorder_indicator": "Moved an indicator in the catalogue draft",
    "catalogue.edit_section": "Changed a section of the catalogue draft",
    "catalogue.upload": "Uploaded a catalogue file",
    "catalogue.publish": "Published a catalogue version",
    "catalogue.discard_draft": "Discarded the catalogue draft",
    "retention.delete": "Deleted after the retention period",
    "profile.update": "Changed their own details (job title, phone)",
    "two_factor.setup": "Set up two-step sign-in",
    "two_factor.recovery_code_used": "Signed in with a recovery code",
    "api.token_issued": "Issued an API token",
    "api.token_revoked": "Revoked an API token",
    "api.draft_list": "Listed referral drafts through the API",
    "api.scope_refused": "Called the API without the scope it needs (refused)",
    "draft.api_approved": "Fetched the approved referral through the API",
}

PURPOSES: dict[str, str] = {
    "review": "for the lead's review", "send": "to send to the front door", "record": "for the organisation's records",
    "not_found": "not found, or not theirs", "stale": "changed elsewhere since the page was loaded",
    "locked": "frozen behind a submitted referral", "invalid": "the form had errors", "conflict": "changed elsewhere",
    "not_allowed": "not allowed", "not_editable": "no longer editable", "no_purpose": "no reason for printing given",
    "invalid_ticks": "the ticks had errors", "invalid_level": "the judgement had errors",
    "escalation_new": "to start an escalation", "retention": "retention period ended",
    "not_submitted": "not submitted yet", "api": "through the API", "invalid_export": "the export failed its checks and was not given",
}

ROLES = dict(Role.choices)


def action_words(code: str) -> str:
    return ACTIONS.get(code) or _app_words("ACTIONS").get(code) or code.replace("_", " ").replace(".", ": ").capitalize()


def purpose_words(code: str) -> str:
    return PURPOSES.get(code) or _app_words("PURPOSES").get(code) or code.replace("_", " ")


@cache
def _app_words(kind: str) -> dict[str, str]:
    """The words the apps give for their own codes (`ACTIONS` or `PURPOSES` in their audit_names.py)."""
    words: dict[str, str] = {}
    for module in _name_modules():
        words.update(getattr(module, kind, {}))
    return words


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    who: str
    role: str
    what: str
    record: str
    purpose: str


def rows(actor: Actor, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """One page of events in plain words, each record named by its app (one query per kind of record)."""
    events = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.object_type and e.object_id:
            wanted[e.object_type].add(e.object_id)
    names: dict[tuple[str, str], str] = {}
    for module in _name_modules():
        for object_type, ids in wanted.items():
            for object_id, name in module.names(actor, object_type, ids).items():
                names[(object_type, object_id)] = name
    return [AuditRow(
        event=e,
        who=_who(e),
        role=ROLES.get(e.actor_role, e.actor_role),
        what=action_words(e.action),
        record=names.get((e.object_type, e.object_id), _unnamed(e)),
        purpose=purpose_words(e.purpose) if e.purpose else "",
    ) for e in events]


def _who(e: AuditEvent) -> str:
    if e.actor is None:
        return e.job if e.job.startswith(TOKEN_JOB_PREFIX) else f"Scheduled job: {e.job}"
    return e.actor.get_full_name() or e.actor.username


def _unnamed(e: AuditEvent) -> str:
    """A record no app names (deleted since, or a kind without names): its kind and number."""
    if not e.object_type:
        return ""
    kind = e.object_type.rsplit(".", 1)[-1].replace("_", " ").capitalize()
    return f"{kind} {e.object_id} (no longer held)" if e.action != "retention.delete" else f"{kind} {e.object_id}"


def _name_modules():
    return [import_module(f"{config.name}.audit_names") for config in apps.get_app_configs()
            if config.name != __package__ and module_has_submodule(config.module, "audit_names")]
