"""The suggest_level command: the engine from the command line, for checking a catalogue by hand."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogues.models import CatalogueVersion
from tests.factories import catalogue as cat
from tests.factories import plain

pytestmark = pytest.mark.django_db


def test_suggest_level_command_prints_json():
    ids = plain(CatalogueVersion.objects.current_for_slug("knowsley").catalogue, 4, 2)
    out = StringIO()
    call_command("suggest_level", "knowsley", "--ticks", ",".join(ids), "--json", stdout=out)
    doc = json.loads(out.getvalue())
    assert doc["suggested_level"] == 4 and doc["reasons"] == ids
    assert {"flags", "pathway", "consent"} <= set(doc)


def test_suggest_level_at_a_moment_shows_the_emergency_duty_team_open():
    c = cat("halton")
    words = "Suffering or at risk of suffering physical, emotional or sexual abuse"
    ids = ",".join(i.id for i in c.indicators if words.lower() in i.text.lower() and not i.retired)
    assert ids
    out = StringIO()
    call_command("suggest_level", "halton", ticks=ids, json=True, at="2026-12-29T07:00:00+00:00", stdout=out)
    data = json.loads(out.getvalue())
    assert data["suggested_level"] == 4 and data["child_protection"] is True
    edt = [x for x in data["emergency_contacts"] if x["role"] == "out_of_hours"]
    assert edt and edt[0]["open_now"] is True
    assert all(x["dial"] for x in data["emergency_contacts"] if x["phone"])


def test_suggest_level_refuses_a_moment_that_is_not_a_date_with_what_to_type():
    with pytest.raises(CommandError, match="is not an ISO date and time, e.g. 2026-12-29T07:00:00"):
        call_command("suggest_level", "halton", ticks="", at="tomorrow morning", stdout=StringIO())
