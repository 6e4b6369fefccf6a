"""PostgreSQL triggers keeping `PersonYear` from `PersonDay`, then its backfill.

`PersonDay` rows are only inserted, their sessions updated, or deleted (their key never
changes). An insert can only bring a first date earlier: `LEAST` on conflict, safe under
concurrency without a lock. A delete may remove the first date of its person, organisation
and year (and of year 0, "since the beginning"): those keys are recomputed from `PersonDay`
after an advisory lock per organisation (sorted), so two transactions deleting for the same
person do not write each other's stale minimum; keys left without any day are deleted. TRUNCATE of `PersonDay` (the full rebuild) empties it (by a
DELETE: the TRUNCATE may name `PersonYear` too, as Django's flush does).
"""

from django.db import migrations

YEARS = "CROSS JOIN LATERAL (VALUES (0), (extract(year FROM {alias}.date)::int)) AS y (year)"

INSTALL = f"""
SET LOCAL statement_timeout = 0;

CREATE OR REPLACE FUNCTION mediation_personday_years() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO mediation_personyear AS t (organisation_id, year, beneficiary_id, first_date)
        SELECT n.organisation_id, y.year, n.beneficiary_id, min(n.date)
        FROM new_rows n {YEARS.format(alias="n")}
        GROUP BY n.organisation_id, y.year, n.beneficiary_id
        ORDER BY n.organisation_id, y.year, n.beneficiary_id
        ON CONFLICT (organisation_id, year, beneficiary_id)
        DO UPDATE SET first_date = LEAST(t.first_date, EXCLUDED.first_date);
    ELSE
        PERFORM pg_advisory_xact_lock(73801, k.organisation_id::int)
        FROM (SELECT DISTINCT organisation_id FROM old_rows) k ORDER BY k.organisation_id;
        WITH keys AS (
            SELECT DISTINCT o.organisation_id, y.year, o.beneficiary_id
            FROM old_rows o {YEARS.format(alias="o")}
        ), firsts AS (
            SELECT k.organisation_id, k.year, k.beneficiary_id,
                (SELECT min(p.date) FROM mediation_personday p
                 WHERE p.beneficiary_id = k.beneficiary_id
                   AND p.organisation_id = k.organisation_id
                   AND (k.year = 0 OR extract(year FROM p.date)::int = k.year)) AS first_date
            FROM keys k
        ), updated AS (
            UPDATE mediation_personyear t SET first_date = f.first_date
            FROM firsts f
            WHERE t.organisation_id = f.organisation_id AND t.year = f.year
              AND t.beneficiary_id = f.beneficiary_id
              AND f.first_date IS NOT NULL AND t.first_date <> f.first_date
            RETURNING t.id
        )
        DELETE FROM mediation_personyear t
        USING firsts f
        WHERE t.organisation_id = f.organisation_id AND t.year = f.year
          AND t.beneficiary_id = f.beneficiary_id AND f.first_date IS NULL;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER mediation_personday_years_insert AFTER INSERT ON mediation_personday
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION mediation_personday_years();
CREATE TRIGGER mediation_personday_years_delete AFTER DELETE ON mediation_personday
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION mediation_personday_years();

CREATE OR REPLACE FUNCTION mediation_personday_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- DELETE, not TRUNCATE: the statement that fired this may be truncating this table too.
    DELETE FROM mediation_personyear;
    RETURN NULL;
END $$;
CREATE TRIGGER mediation_personday_years_truncate AFTER TRUNCATE ON mediation_personday
    FOR EACH STATEMENT EXECUTE FUNCTION mediation_personday_truncated();

CREATE OR REPLACE FUNCTION mediation_person_years_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE mediation_personyear;
    INSERT INTO mediation_personyear (organisation_id, year, beneficiary_id, first_date)
    SELECT p.organisation_id, y.year, p.beneficiary_id, min(p.date)
    FROM mediation_personday p {YEARS.format(alias="p")}
    GROUP BY p.organisation_id, y.year, p.beneficiary_id;
END $$;

SELECT mediation_person_years_rebuild();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS mediation_personday_years_insert ON mediation_personday;
DROP TRIGGER IF EXISTS mediation_personday_years_delete ON mediation_personday;
DROP TRIGGER IF EXISTS mediation_personday_years_truncate ON mediation_personday;
DROP FUNCTION IF EXISTS mediation_personday_years();
DROP FUNCTION IF EXISTS mediation_personday_truncated();
DROP FUNCTION IF EXISTS mediation_person_years_rebuild();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [("mediation", "0005_person_year")]

    operations = [migrations.RunPython(install, uninstall)]
