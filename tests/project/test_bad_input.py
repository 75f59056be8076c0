"""Junk posted to every endpoint: a clear 4xx, or a save the forms validated; never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment
from referrals.models import Draft
from tests.factories import ready_draft

junk = st.one_of(st.text(max_size=30), st.integers(min_value=1, max_value=3).map(lambda n: "x" * 6000 * n),
                 st.sampled_from(["-1", "0", "99999999999999999999", "1e9", "", "\x00", "’’", "<script>"]))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fields=st.dictionaries(st.sampled_from(["revision", "child_name", "worries", "chosen_level", "consent",
                                                "consent_ground", "date_of_birth", "household-0-name", "extra",
                                                "level", "reason", "tick", "decision", "comment", "sent_on",
                                                "how", "participants", "outcome", "q", "authority", "mode"]),
                              junk, max_size=8))
def test_junk_posted_to_every_endpoint_is_a_clear_4xx_or_a_validated_save(people, fields):
    d = Draft.objects.filter(owner=people.alice).first() or ready_draft(people.alice, people.sefton)
    a = d.assessment
    client = Client(raise_request_exception=False)
    client.force_login(people.alice)
    revision_before = Draft.objects.get(pk=d.pk).revision
    for url in [reverse("assessment-new"), reverse("assessment-detail", args=[a.pk]),
                reverse("assessment-choose-level", args=[a.pk]), reverse("draft-detail", args=[d.pk]),
                reverse("draft-review", args=[d.pk]), reverse("draft-sent", args=[d.pk]),
                reverse("draft-decision", args=[d.pk]), reverse("escalation-new")]:
        response = client.post(url, fields)
        assert response.status_code < 500, (url, fields, response.status_code)
    after = Draft.objects.get(pk=d.pk)
    if after.revision != revision_before:  # a save went through: only with the right revision and valid data
        assert str(revision_before) == str(fields.get("revision", "")).strip()
    # Junk never starts an assessment, nor loses the one behind the draft.
    assert list(Assessment.objects.filter(owner=people.alice).values_list("pk", flat=True)) == [a.pk]
