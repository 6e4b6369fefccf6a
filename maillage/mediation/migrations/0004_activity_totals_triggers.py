"""PostgreSQL triggers keeping `ActivityDay` and `PersonDay` exact, then the backfill.

Statement-level triggers with transition tables: one set-based upsert of signed deltas per
INSERT, UPDATE or DELETE statement on accompaniments or participations, whatever writes them
(services, admin, `bulk_create`, `QuerySet.update`, raw SQL). An accompaniment's rows count its
participations present when it is written, and a participation counts only while its
accompaniment exists, so the totals are right whichever of the two is written first (foreign
keys are deferred). Rows falling to zero are deleted (a partial index finds them). TRUNCATE of
either table rebuilds both totals from what is left. `mediation_activity_totals_rebuild()` is
also the backfill (`maillage rebuild-activity-totals`).

The SQL is written out here, frozen with the migration; on SQLite nothing is installed and the
indicator sources read the records (see `maillage.mediation.activity_totals`).
"""

from django.db import migrations

KEY = "organisation_id, date, kind, location_kind, place_ref, commune_code, themes"


def key_of(alias: str) -> str:
    return (
        f"{alias}.organisation_id, {alias}.date, {alias}.kind, {alias}.location_kind, "
        f"COALESCE({alias}.place_id, 0), COALESCE({alias}.commune_id, ''), upper({alias}.themes::text)"
    )


def upsert_activity(delta: str) -> str:
    """Add the signed rows of `delta` (KEY, acc, anon, parts) to mediation_activityday."""
    return f"""
    INSERT INTO mediation_activityday AS t ({KEY}, accompaniments, anonymous_participants,
        participations)
    SELECT {KEY}, sum(acc), sum(anon), sum(parts)
    FROM ({delta}) AS d ({KEY}, acc, anon, parts)
    GROUP BY {KEY}
    ORDER BY {KEY}  -- rows locked in one order: concurrent writers cannot deadlock on them
    ON CONFLICT ({KEY}) DO UPDATE SET
        accompaniments = t.accompaniments + EXCLUDED.accompaniments,
        anonymous_participants = t.anonymous_participants + EXCLUDED.anonymous_participants,
        participations = t.participations + EXCLUDED.participations;
    DELETE FROM mediation_activityday WHERE accompaniments = 0;
    """


def upsert_person(delta: str) -> str:
    """Add the signed rows of `delta` (beneficiary_id, KEY, sessions) to mediation_personday."""
    return f"""
    INSERT INTO mediation_personday AS t (beneficiary_id, {KEY}, sessions)
    SELECT beneficiary_id, {KEY}, sum(s)
    FROM ({delta}) AS d (beneficiary_id, {KEY}, s)
    GROUP BY beneficiary_id, {KEY}
    ORDER BY beneficiary_id, {KEY}
    ON CONFLICT (beneficiary_id, {KEY}) DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions;
    DELETE FROM mediation_personday WHERE sessions = 0;
    """


def accompaniment_deltas(rows: str, sign: str) -> tuple[str, str]:
    """Deltas of accompaniments `rows` (with their present participations) counted `sign`."""
    activity = f"""
        SELECT {key_of("x")}, {sign}, {sign} * x.anonymous_participants,
            {sign} * (SELECT count(*) FROM mediation_participation p
                      WHERE p.accompaniment_id = x.id)
        FROM {rows} x"""
    person = f"""
        SELECT p.beneficiary_id, {key_of("x")}, {sign}
        FROM {rows} x JOIN mediation_participation p ON p.accompaniment_id = x.id"""
    return activity, person


def participation_deltas(rows: str, sign: str) -> tuple[str, str]:
    """Deltas of participations `rows` whose accompaniment exists, counted `sign`."""
    activity = f"""
        SELECT {key_of("a")}, 0, 0, {sign}
        FROM {rows} x JOIN mediation_accompaniment a ON a.id = x.accompaniment_id"""
    person = f"""
        SELECT x.beneficiary_id, {key_of("a")}, {sign}
        FROM {rows} x JOIN mediation_accompaniment a ON a.id = x.accompaniment_id"""
    return activity, person


def changed(table_key: str) -> tuple[str, str]:
    """old_rows / new_rows restricted to rows whose counted columns changed."""
    condition = f"""
        WHERE (o.date, o.organisation_id, o.kind, o.location_kind, o.place_id, o.commune_id,
               o.themes{table_key}) IS DISTINCT FROM
              (n.date, n.organisation_id, n.kind, n.location_kind, n.place_id, n.commune_id,
               n.themes{table_key.replace("o.", "n.")})"""
    old = f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id {condition})"
    new = f"(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id {condition})"
    return old, new


def trigger_function(name: str, deltas, old_changed: str, new_changed: str) -> str:
    def apply(rows: str, sign: str) -> str:
        activity, person = deltas(rows, sign)
        return upsert_activity(activity) + upsert_person(person)

    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {apply("new_rows", "1")}
        ELSIF TG_OP = 'DELETE' THEN
            {apply("old_rows", "-1")}
        ELSE
            {apply(old_changed, "-1")}
            {apply(new_changed, "1")}
        END IF;
        RETURN NULL;
    END $$;
    """


def triggers(table: str, function: str) -> str:
    return f"""
    CREATE TRIGGER {table}_totals_insert AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    CREATE TRIGGER {table}_totals_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    CREATE TRIGGER {table}_totals_delete AFTER DELETE ON {table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    CREATE TRIGGER {table}_totals_truncate AFTER TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION mediation_activity_totals_truncated();
    """


REBUILD = f"""
CREATE OR REPLACE FUNCTION mediation_activity_totals_refill() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mediation_activityday ({KEY}, accompaniments, anonymous_participants,
        participations)
    SELECT {key_of("a")}, count(*), sum(a.anonymous_participants), sum(COALESCE(pc.n, 0))
    FROM mediation_accompaniment a
    LEFT JOIN (SELECT accompaniment_id, count(*) AS n FROM mediation_participation
               GROUP BY accompaniment_id) pc ON pc.accompaniment_id = a.id
    GROUP BY {key_of("a")};
    INSERT INTO mediation_personday (beneficiary_id, {KEY}, sessions)
    SELECT p.beneficiary_id, {key_of("a")}, count(*)
    FROM mediation_participation p JOIN mediation_accompaniment a ON a.id = p.accompaniment_id
    GROUP BY p.beneficiary_id, {key_of("a")};
END $$;

CREATE OR REPLACE FUNCTION mediation_activity_totals_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE mediation_activityday, mediation_personday;
    PERFORM mediation_activity_totals_refill();
END $$;

-- DELETE, not TRUNCATE: the TRUNCATE that fired this trigger may name the totals tables too
-- (Django's flush empties every table in one statement), and PostgreSQL refuses to truncate a
-- table an active statement of the session is using.
CREATE OR REPLACE FUNCTION mediation_activity_totals_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM mediation_activityday;
    DELETE FROM mediation_personday;
    PERFORM mediation_activity_totals_refill();
    RETURN NULL;
END $$;
"""

ACCOMPANIMENT_CHANGED = changed(", o.anonymous_participants")
PARTICIPATION_CHANGED = (
    "(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE (o.accompaniment_id, o.beneficiary_id) IS DISTINCT FROM "
    "(n.accompaniment_id, n.beneficiary_id))",
    "(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE (o.accompaniment_id, o.beneficiary_id) IS DISTINCT FROM "
    "(n.accompaniment_id, n.beneficiary_id))",
)

INSTALL = (
    "SET LOCAL statement_timeout = 0;"  # the backfill reads every accompaniment
    + REBUILD
    + trigger_function(
        "mediation_accompaniment_totals", accompaniment_deltas, *ACCOMPANIMENT_CHANGED
    )
    + trigger_function(
        "mediation_participation_totals", participation_deltas, *PARTICIPATION_CHANGED
    )
    + triggers("mediation_accompaniment", "mediation_accompaniment_totals")
    + triggers("mediation_participation", "mediation_participation_totals")
    + "SELECT mediation_activity_totals_rebuild();"
)

UNINSTALL = """
DROP TRIGGER IF EXISTS mediation_accompaniment_totals_insert ON mediation_accompaniment;
DROP TRIGGER IF EXISTS mediation_accompaniment_totals_update ON mediation_accompaniment;
DROP TRIGGER IF EXISTS mediation_accompaniment_totals_delete ON mediation_accompaniment;
DROP TRIGGER IF EXISTS mediation_accompaniment_totals_truncate ON mediation_accompaniment;
DROP TRIGGER IF EXISTS mediation_participation_totals_insert ON mediation_participation;
DROP TRIGGER IF EXISTS mediation_participation_totals_update ON mediation_participation;
DROP TRIGGER IF EXISTS mediation_participation_totals_delete ON mediation_participation;
DROP TRIGGER IF EXISTS mediation_participation_totals_truncate ON mediation_participation;
DROP FUNCTION IF EXISTS mediation_accompaniment_totals();
DROP FUNCTION IF EXISTS mediation_participation_totals();
DROP FUNCTION IF EXISTS mediation_activity_totals_truncated();
DROP FUNCTION IF EXISTS mediation_activity_totals_refill();
DROP FUNCTION IF EXISTS mediation_activity_totals_rebuild();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [("mediation", "0003_activity_totals")]

    operations = [migrations.RunPython(install, uninstall)]
