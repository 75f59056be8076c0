"""Names of referral drafts for the audit page of the lead of their organisation."""

from __future__ import annotations

from authorities.actor import Actor

from .models import Draft

# The audit page's words for the referral steps added with decisions and closures (issue 19).
ACTIONS: dict[str, str] = {
    "draft.closed": "Closed the concern without a referral (a decision not to refer, with the reason)",
}
PURPOSES: dict[str, str] = {
    "closed": "closed without a referral: nothing was referred",
    "invalid_close": "the decision not to refer had errors",
    "invalid_decision": "the front door's decision had errors",
}


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    if object_type != "referrals.draft":
        return {}
    found = Draft.objects.audited_by(actor).filter(pk__in=[int(i) for i in ids if i.isdigit()]) \
        .only("pk", "child_name")
    return {str(d.pk): f"Referral draft {d.pk}: {d.child_name or 'no child named yet'}" for d in found}
