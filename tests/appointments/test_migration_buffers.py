"""Migration 0006 bounds the buffers: longer ones are cut to 180 minutes before the check."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("appointments", "0005_message_kind_waitlist_removed")]
AFTER = [("appointments", "0006_service_buffers_bounded")]


@pytest.mark.django_db(transaction=True)
def test_longer_buffers_are_cut_to_the_bound():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        organisation = apps.get_model("organisations", "Organisation").objects.create(
            name="Mairie", slug="mairie"
        )
        Service = apps.get_model("appointments", "Service")
        long = Service.objects.create(
            organisation=organisation,
            name="Visite longue",
            kind="home_visit",
            duration_minutes=60,
            buffer_before_minutes=240,
            buffer_after_minutes=30,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        long = apps.get_model("appointments", "Service").objects.get(pk=long.pk)
        assert (long.buffer_before_minutes, long.buffer_after_minutes) == (180, 30)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
