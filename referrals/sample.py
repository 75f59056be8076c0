"""Clearly fictional sample data for previewing a partnership's referral form (no database writes)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.utils import timezone

from catalogues.engine import suggest
from catalogues.schema import Catalogue

from . import record


def sample_context(catalogue: Catalogue, version_number: int | None) -> dict:
    """A PDF context for a fictional front-door referral, built by the same record function as a real one."""
    level = next(lv for lv in catalogue.levels if lv.response.route_kind == "front_door")
    ticks = [i.id for i in catalogue.indicators if i.level == level.number and not i.retired][:6]
    ground = next(iter(catalogue.consent_grounds), None)
    draft = SimpleNamespace(
        child_name="Sample Fictional-Child", date_of_birth=date(2016, 4, 1), due_date=None,
        address="1 Example Street, Nowhere Town (fictional)", school="Brightwater Primary School (fictional)",
        gp="Example Surgery (fictional)", language_needs="English", disability="None known",
        household=[{"name": "Parent Fictional-Child", "relationship": "Mother", "parental_responsibility": "Yes",
                    "date_of_birth": "01/01/1990", "address": "", "same_address": True}],
        professionals=[{"name": "Sam Sample", "role": "Health visitor", "organisation": "Example Trust (fictional)",
                        "contact": "01234 000000"}],
        referrer_name="Pat Example", referrer_role="Designated safeguarding lead",
        referrer_organisation="Brightwater Primary School (fictional)", referrer_phone="01234 000001",
        referrer_email="pat@example.invalid", chosen_level=level.number, level_reason="",
        parents_aware="yes", consent="not_sought",
        consent_agreed_by="Lee Placeholder, safeguarding lead", consent_ground=ground.id if ground else "",
        **{key: f"Sample text for “{label}”. All names and details here are fictional."
           for key, label in record.NARRATIVE},
    )
    shown = record.build(draft, catalogue=catalogue, version_number=version_number, suggestion=suggest(catalogue, ticks),
                         ticks=ticks, unborn=False)
    return {"record": shown, "state": "SAMPLE WITH FICTIONAL DATA — NOT A REFERRAL",
            "digest": record.content_hash(shown), "generated_at": timezone.now(), "sample": True}
