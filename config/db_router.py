"""Reads of the insight rollup go to the read replica when there is one (DATABASE_REPLICA_URL); every other
read, and every write, goes to the primary. Nothing case-level is read from the replica: a page that shows a
record must see the write that just changed it."""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"
# The rollup and its refresh marker: aggregates only, rebuilt by the nightly job on the primary.
FROM_THE_REPLICA = {"insight.figure", "insight.refreshstate"}


class DashboardsFromTheReplica:
    def db_for_read(self, model, **hints):
        if REPLICA in settings.DATABASES and model._meta.label_lower in FROM_THE_REPLICA:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary by streaming, never by migrate
