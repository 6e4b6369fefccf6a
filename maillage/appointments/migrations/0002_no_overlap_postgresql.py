"""PostgreSQL only: no party (agent, room, mediator) is ever busy twice at the same time.

An exclusion constraint over (party, time range) for active, non-forced occupations, using
btree_gist for the equality parts. SQLite (single-user) has no such constraint: its writes
are serialised (transaction_mode IMMEDIATE) and the same service code re-checks availability.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE appointments_occupation ADD CONSTRAINT occupation_no_overlap
    EXCLUDE USING gist (
        party_type WITH =,
        party_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (active AND NOT forced);
"""
DROP = "ALTER TABLE appointments_occupation DROP CONSTRAINT IF EXISTS occupation_no_overlap;"


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [PostgreSQLOnly(CREATE, DROP)]
