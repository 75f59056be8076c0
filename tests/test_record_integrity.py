"""What is recorded stays as it was recorded: the audit trail refuses changes in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from authorities import audit
from authorities.actor import Actor
from authorities.models import AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_audit_events(people):
    event = audit.record(Actor.of(people.alice), "test.event")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("statement", ["UPDATE authorities_auditevent SET action = 'tampered' WHERE id = %s",
                                       "DELETE FROM authorities_auditevent WHERE id = %s"])
def test_postgresql_refuses_update_and_delete_of_audit_rows_even_in_raw_sql(people, statement):
    event = audit.record(Actor.of(people.alice), "test.event")
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


@pytest.mark.django_db
def test_recovery_codes_are_stored_hashed_and_work_once(people):
    from django_otp.plugins.otp_static.models import StaticToken

    from authorities import recovery_codes
    from authorities.models import RecoveryCode

    codes = recovery_codes.issue(people.lead)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = " ".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(code.split("-")[1] in stored for code in codes), "no secret part in the database"
    assert not StaticToken.objects.exists(), "django-otp's plain tokens are not used"
    assert recovery_codes.use(people.lead, codes[3].upper())  # as typed, in capitals
    assert not recovery_codes.use(people.lead, codes[3]), "once only"
    assert not recovery_codes.use(people.alice, codes[4]), "only the user's own"
    assert recovery_codes.left(people.lead) == 9
    assert recovery_codes.issue(people.lead) and recovery_codes.left(people.lead) == 10, "new codes replace the old"
    assert not recovery_codes.use(people.lead, codes[4])
