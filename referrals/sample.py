"""Clearly fictional sample data for previewing a partnership's referral form (no database writes)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.utils import timezone

from catalogues.engine import suggest
from catalogues.schema import Catalogue

from . import checks


def sample_context(catalogue: Catalogue, version_number: int | None) -> dict:
    level = next(lv for lv in catalogue.levels if lv.response.route_kind == "front_door")
    ticks = [i for i in catalogue.indicators if i.level == level.number and not i.retired][:6]
    ground = next(iter(catalogue.consent_grounds), None)
    draft = SimpleNamespace(
        child_name="Sample Fictional-Child", date_of_birth=date(2016, 4, 1), due_date=None,
        address="1 Example Street, Nowhere Town (fictional)", school="Brightwater Primary School (fictional)",
        gp="Example Surgery (fictional)", language_needs="English", disability="None known",
        household=[{"name": "Parent Fictional-Child", "relationship": "Mother", "parental_responsibility": "Yes",
                    "date_of_birth": "01/01/1990", "address": "Same as child"}],
        professionals=[{"name": "Sam Sample", "role": "Health visitor", "organisation": "Example Trust (fictional)",
                        "contact": "01234 000000"}],
        referrer_name="Pat Example", referrer_role="Designated safeguarding lead",
        referrer_organisation="Brightwater Primary School (fictional)", referrer_phone="01234 000001",
        referrer_email="pat@example.invalid", level_reason="",
        get_parents_aware_display="Yes", get_consent_display="No – consent was not sought",
        consent_agreed_by="Lee Placeholder, safeguarding lead", consent_ground=ground.id if ground else "",
    )
    narrative = [(label, f"Sample text for “{label}”. All names and details here are fictional.")
                 for label in ["What are we worried about?", "What is working well?", "What needs to happen?",
                               "The child's voice and lived experience", "Strengths and protective factors",
                               "Support already tried and its effect", "Immediate risks"]]
    by_domain = []
    for d in catalogue.domains:
        items = [i for i in ticks if i.domain == d.id]
        if items:
            by_domain.append((d.name, items))
    return {
        "draft": draft, "catalogue": catalogue, "version": SimpleNamespace(number=version_number),
        "suggestion": suggest(catalogue, [i.id for i in ticks]), "chosen": level,
        "route": checks.route_for(catalogue, level.number), "concerns": by_domain, "narrative": narrative,
        "consent_ground": ground, "generated_at": timezone.now(), "sample": True,
    }
