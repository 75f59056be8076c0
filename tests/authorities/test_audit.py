"""The audit trail (authorities/audit.py): one event per audited action, without the child's name; written
only with an actor; never changed or deleted, by the ORM or (on PostgreSQL) by raw SQL."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from authorities import audit
from authorities.actor import Actor
from authorities.models import AppendOnlyError, AuditEvent
from referrals.models import Draft
from tests.factories import actor, ready_draft


@pytest.mark.django_db
def test_each_audited_action_writes_exactly_one_event_without_the_childs_name(people, client):
    d = ready_draft(people.alice, people.sefton, child_name="Zebedee Unique-Name")
    client.force_login(people.alice)
    actions = [
        ("draft.view", lambda: client.get(reverse("draft-detail", args=[d.pk]))),
        ("draft.pdf", lambda: client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})),
        ("draft.save", lambda: client.post(reverse("draft-detail", args=[d.pk]), {
            "revision": Draft.objects.get().revision, "child_name": "Zebedee Unique-Name", "chosen_level": "2",
            "child_voice": "Says hello", "household-0-name": "Parent Testperson", "referrer_phone": "0123",
            "parents_aware": "yes", "consent": "explicit"})),
        ("assessment.view", lambda: client.get(reverse("assessment-detail", args=[d.assessment_id]))),
        ("assessment.tick", lambda: client.post(reverse("assessment-detail", args=[d.assessment_id]),
                                                {"tick": d.assessment.ticks}, HTTP_HX_REQUEST="true")),
        ("draft.submitted", lambda: client.post(reverse("draft-submit", args=[d.pk]))),
    ]
    for action, call in actions:
        before = AuditEvent.objects.count()
        call()
        new = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
        assert [e.action for e in new] == [action], action
    for e in AuditEvent.objects.all():
        assert "Zebedee" not in json.dumps([e.action, e.object_id, e.purpose, e.detail, e.actor_role])


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(people):
    ready_draft(people.alice, people.sefton)
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_audit_refuses_a_write_without_an_actor():
    from django.contrib.auth.models import AnonymousUser

    for nobody in (None, AnonymousUser(), Actor(), actor(AnonymousUser())):
        with pytest.raises(audit.MissingActorError):
            audit.record(nobody, "x")


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_audit_events(people):
    event = audit.record(actor(people.alice), "test.event")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("statement", ["UPDATE authorities_auditevent SET action = 'tampered' WHERE id = %s",
                                       "DELETE FROM authorities_auditevent WHERE id = %s"])
def test_postgresql_refuses_update_and_delete_of_audit_rows_even_in_raw_sql(people, statement):
    event = audit.record(actor(people.alice), "test.event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
def test_a_scheduled_job_is_recorded_by_its_name_with_no_user():
    event = audit.record(Actor.system("retention"), "retention.delete")
    assert (event.actor_id, event.job) == (None, "retention")


@pytest.mark.django_db
def test_the_database_refuses_an_event_with_both_or_neither_a_person_and_a_job(people):
    from django.db import IntegrityError
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.bulk_create([AuditEvent(action="x", job="")])
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.bulk_create([AuditEvent(action="x", job="retention", actor=people.alice)])
