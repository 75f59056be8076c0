"""The dashboards' rollup is read from the replica when one is configured; nothing else is, and nothing is
ever written or migrated there."""

from __future__ import annotations

from assessments.models import Assessment
from authorities.models import AuditEvent
from config.db_router import DashboardsFromTheReplica
from insight.models import Figure, RefreshState
from referrals.models import Draft


def test_with_a_replica_only_the_rollup_is_read_from_it(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    router = DashboardsFromTheReplica()
    assert router.db_for_read(Figure) == "replica" and router.db_for_read(RefreshState) == "replica"
    assert [router.db_for_read(m) for m in (Assessment, Draft, AuditEvent)] == [None, None, None]
    assert router.db_for_write(Figure) == "default"
    assert router.allow_migrate("replica", "insight") is False and router.allow_migrate("default", "insight")


def test_without_a_replica_everything_is_read_from_the_primary(settings):
    assert "replica" not in settings.DATABASES
    assert DashboardsFromTheReplica().db_for_read(Figure) is None
