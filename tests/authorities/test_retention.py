"""The apply_retention command: what is due is removed, and an audit event names the job and the reason."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from authorities.models import AuditEvent, Authority
from referrals.models import Draft
from tests.factories import ready_draft

pytestmark = pytest.mark.django_db


def test_retention_removes_what_is_due_and_leaves_an_audit_event(people):
    old = ready_draft(people.alice, people.sefton)
    fresh = ready_draft(people.alice, people.sefton)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    call_command("apply_retention", stdout=io.StringIO())
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(action="retention.delete", object_id=str(old.pk))
    assert event.purpose == "retention" and "365 days" in event.detail["reason"]


def test_retention_is_set_based_a_few_statements_per_batch_whatever_the_backlog(people, django_assert_max_num_queries):
    """A backlog is removed in batches: the number of statements grows with the batches, not with the
    records (the old one-by-one removal made several per record), and every record still gets its event."""
    from authorities import retention
    from catalogues.models import CatalogueVersion
    from referrals import history

    version = CatalogueVersion.objects.current_for(people.sefton)
    history.seed(version, history.Cast(people.school.pk, [people.alice.pk], [people.lead.pk]), 120,
                 end=timezone.localdate() - timedelta(days=800), days=30)
    from assessments.models import Assessment
    kept_as_records = Assessment.objects.filter(drafts__isnull=False).distinct().count()
    due = Assessment.objects.filter(drafts__isnull=True).count()
    assert due > 20 and kept_as_records > 20
    retention.BATCH = 10
    try:
        # Per batch a dozen at most; per partnership and kind of record, a look at the table's last id and a
        # read of a window that may hold nothing due.
        with django_assert_max_num_queries(12 * (due // 10 + 2) + 2 * 3 * Authority.objects.count()):
            counts = retention.apply_retention()
    finally:
        retention.BATCH = 1000
    assert counts["assessments"] == due
    assert Assessment.objects.count() == kept_as_records, "submitted referrals are records: kept"
    assert AuditEvent.objects.filter(action="retention.delete", job="retention",
                                     object_type="assessments.assessment").count() == due


def test_a_batch_that_fails_leaves_nothing_half_done(people, monkeypatch):
    """One transaction per batch: if writing its events fails, none of its records is removed."""
    from authorities import audit, retention

    old = ready_draft(people.alice, people.sefton)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(audit, "record_many", fail)
    with pytest.raises(RuntimeError):
        retention.apply_retention()
    assert Draft.objects.filter(pk=old.pk).exists()
    monkeypatch.undo()
    retention.apply_retention()  # run again: it carries on where it stopped
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action="retention.delete", object_id=str(old.pk)).count() == 1


def test_each_batch_reads_on_from_where_the_last_ended(people):
    """Keyset batches: each read asks only for a window of ids after the last batch's last, so kept records
    before the backlog are read once per run, not once per batch (a backlog was quadratic), and no read
    joins the whole table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Assessment
    from authorities import retention
    from tests.factories import assessment

    made = [assessment(people.alice, people.sefton) for _ in range(5)]
    Assessment.objects.filter(pk__in=[a.pk for a in made]).update(updated_at=timezone.now() - timedelta(days=400))
    retention.BATCH = 2
    try:
        with CaptureQueriesContext(connection) as statements:
            counts = retention.apply_retention()
    finally:
        retention.BATCH = 1000
    assert counts["assessments"] == 5 and not Assessment.objects.exists()
    reads = [q["sql"] for q in statements.captured_queries
             if q["sql"].startswith('SELECT "assessments_assessment"."id" AS "pk"')
             and f'"authority_id" = {people.sefton.pk} ' in q["sql"]]
    ids = sorted(a.pk for a in made)
    window = retention.WINDOW * 2
    assert len(reads) == 3  # three batches (2, 2, 1); the last was short, so its window was the end
    for sql, after in zip(reads[1:], (ids[1], ids[3]), strict=True):
        assert f'"assessments_assessment"."id" > {after} ' in sql
        assert f'"assessments_assessment"."id" <= {after + window})' in sql
