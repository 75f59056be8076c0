"""The demo's fictional cases: one approved referral and one waiting for review in each partnership, so the
API example and the lead's queue have something to show on first run; never outside demo mode."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from authorities.models import Authority
from referrals.models import Draft, Submission

pytestmark = pytest.mark.django_db


@override_settings(DEMO=True)
def test_each_partnership_gets_an_approved_referral_and_one_waiting_once_only():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_cases", stdout=StringIO())
    call_command("seed_demo_cases", stdout=StringIO())  # a second run adds nothing
    for authority in Authority.objects.all():
        drafts = Draft.objects.filter(assessment__catalogue_version__authority=authority)
        assert sorted(d.status for d in drafts) == ["approved", "submitted"], authority.slug
        assert all("(fictional)" in d.child_name for d in drafts)
        approved = drafts.get(status="approved")
        assert approved.submissions.get().outcome == Submission.Outcome.APPROVED


@override_settings(DEMO=False, DEBUG=False)
def test_it_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("seed_demo_cases", stdout=StringIO())
