"""Scale check of the computed indicators: 1 000 000 accompaniments, 200 000 beneficiaries.

    DATABASE_URL=postgres://root@127.0.0.1:5432/maillage_bench .venv/bin/python bench/indicators.py

On PostgreSQL (the database is created if missing): loads the referential and binds the seed's
indicators, generates a first tenth of the data (100 000 accompaniments, 20 000 people) with
`generate_series` (rows are made in the database, not in Python; the triggers fill the
pre-aggregated tables as they would for any write), then recomputes every bound indicator twice
and times the second run, on the pre-aggregated tables (`ActivityDay`, `PersonDay`) and, as the
baseline, on the records (MAILLAGE_INDICATOR_TOTALS off), checking both give the same values;
then grows the data to 1 000 000 accompaniments and 200 000 people and does the same. Tables
are vacuumed and analysed after each generation, as autovacuum would. The number of SQL queries
must not change with the volume and the time should grow about linearly (ratio ≈ 10 for 10×
the rows, less when fixed costs dominate). The last lines sum up, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/maillage_bench")


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("Ce banc d'essai demande PostgreSQL (DATABASE_URL=postgres://…).")
ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.mediation.models import (  # noqa: E402
    Accompaniment,
    ActivityDay,
    Beneficiary,
    Participation,
    PersonDay,
)
from maillage.organisations.models import Organisation  # noqa: E402
from maillage.plan.computed import bound_indicators, compute_all  # noqa: E402
from maillage.plan.importer import DEFAULT_PLAN_SLUG  # noqa: E402
from maillage.plan.models import Plan  # noqa: E402

# Organisations the rows are spread over (the pilots of Num01/05 and Num07 get most of them).
ORGANISATIONS = [
    "espace-numerique-sud-charente",
    "msa-des-charentes",
    "centres-socio-culturels",
    "csc-barbezieux",
    "epn-charente",
]
# Out of 20 residues: 12 ENSC, 5 MSA, 1 each for the others.
ORG_OF_RESIDUE = [0] * 12 + [1] * 5 + [2, 3, 4]
COMMUNES = ["16230", "16046", "16348", "16073", "16025", "16408", "16028", "16066", "16015"]


def _case(expression: str, values: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
    return f"(CASE ({expression}) {whens} END)"


def generate(*, people: tuple[int, int], activities: tuple[int, int], orgs: list[int]) -> None:
    """Insert people [a, b) and accompaniments [c, d) (with participants and outcomes)."""
    org_case = _case("g % 20", [str(orgs[ORG_OF_RESIDUE[r]]) for r in range(20)])
    commune_case = _case(f"g % {len(COMMUNES)}", [f"'{c}'" for c in COMMUNES])
    situation_case = _case(
        "g % 8",
        ["'retired'", "'retired'", "'retired'", "'jobseeker'", "'rsa'", "'employee'",
         "'self_employed'", "''"],
    )  # fmt: skip
    themes_case = _case(
        "(g / 7) % 6",
        ["'[\"email\"]'", "'[\"caf\", \"taxes\"]'", "'[\"mobility\"]'", "'[\"msa\"]'",
         "'[\"basics\", \"smartphone\"]'", "'[\"health\"]'"],
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(
            f"""
            INSERT INTO mediation_beneficiary (organisation_id, code, first_name, last_name,
                phone, email, commune_id, birth_year, age_band, situation, receives_rsa,
                home_equipment, connection, autonomy, revenue_band, created_at, updated_at,
                is_demo)
            SELECT {org_case}, 'BENCH-' || g, '', '', '', '', {commune_case}, 1940 + g % 60,
                '', {situation_case}, g % 8 = 4, '[]'::jsonb, '', '', '', now(), now(), false
            FROM generate_series({people[0]}::bigint, {people[1] - 1}) AS g
            """
        )
        cursor.execute(
            "SELECT min(id), max(id), count(*) FROM mediation_beneficiary WHERE code LIKE 'BENCH-%'"
        )
        first_id, last_id, count = cursor.fetchone()
        assert last_id - first_id + 1 == count, "identifiants non consécutifs"
        total_people = count
        # Accompaniments: 1 in 10 is a workshop (3 named + 0–4 counted participants).
        cursor.execute(
            f"""
            INSERT INTO mediation_accompaniment (organisation_id, kind, date, duration_minutes,
                location_kind, commune_id, title, themes, equipment_used, autonomy,
                oriented_to, note, anonymous_participants, source_model, source_id,
                created_at, is_demo)
            SELECT {org_case},
                CASE WHEN (g / 20) % 10 = 0 THEN 'collective' WHEN (g / 20) % 3 = 0 THEN 'procedure'
                     ELSE 'individual' END,
                DATE '2024-01-01' + ((g * 7919) % 1000)::int, 60,
                CASE WHEN g % 2 = 0 THEN 'home' ELSE 'remote' END, {commune_case}, '',
                {themes_case}::jsonb, '[]'::jsonb, '', '', '',
                CASE WHEN (g / 20) % 10 = 0 THEN g % 5 ELSE 0 END, 'bench', g::text, now(), false
            FROM generate_series({activities[0]}::bigint, {activities[1] - 1}) AS g
            """
        )
        # Participants in the accompaniment's own organisation (same residue modulo 20).
        block = total_people // 20
        cursor.execute(
            f"""
            INSERT INTO mediation_participation (accompaniment_id, beneficiary_id)
            SELECT a.id, {first_id} + (((((g / 20) * 7 + k * 13) % {block}) * 20) + g % 20)
            FROM mediation_accompaniment a
            JOIN LATERAL (SELECT a.source_id::bigint AS g) s ON true
            CROSS JOIN LATERAL
                generate_series(0, CASE WHEN a.kind = 'collective' THEN 2 ELSE 0 END) AS k
            WHERE a.source_model = 'bench'
              AND a.source_id::bigint BETWEEN {activities[0]} AND {activities[1] - 1}
            ON CONFLICT DO NOTHING
            """
        )
        # Outcomes of the new people: courses, equipment, MSA accounts.
        cursor.execute(
            f"""
            INSERT INTO mediation_outcome (beneficiary_id, organisation_id, kind, date,
                equipment_means, account, autonomy, revenue_band_before, revenue_band_after,
                note, created_at, is_demo)
            SELECT b.id, b.organisation_id,
                CASE WHEN b.id % 3 = 0 THEN 'joined_collective' WHEN b.id % 3 = 1 THEN 'equipped'
                     ELSE 'online_account' END,
                DATE '2024-01-01' + (b.id % 900)::int, '',
                CASE WHEN b.id % 3 = 2 THEN 'msa' ELSE '' END, '', '', '', '', now(), false
            FROM mediation_beneficiary b
            WHERE b.code LIKE 'BENCH-%' AND b.id % 5 = 0
              AND substr(b.code, 7)::bigint BETWEEN {people[0]} AND {people[1] - 1}
            """
        )


def n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


TABLES = (
    "mediation_beneficiary, mediation_accompaniment, mediation_participation, mediation_outcome, "
    "mediation_activityday, mediation_personday"
)


def vacuum() -> None:
    """What autovacuum does after a bulk load: statistics and the visibility map."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {TABLES}")


def recompute(plan: Plan, *, totals: bool) -> tuple[float, int, list]:
    with (
        override_settings(MAILLAGE_INDICATOR_TOTALS=totals),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.perf_counter()
        with transaction.atomic():
            done = compute_all(plan=plan, on=timezone.localdate())
        elapsed = time.perf_counter() - started
    values = [(m.indicator_id, m.value) for m in done]
    return elapsed, len(queries), values


def load() -> str:
    return "charge (uptime) : " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accompaniments", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=200_000)
    args = parser.parse_args()
    small_acc, small_people = args.accompaniments // 10, args.beneficiaries // 10

    call_command("migrate", verbosity=0)
    call_command("load_referential", verbosity=0)
    plan = Plan.objects.get(slug=DEFAULT_PLAN_SLUG)
    orgs = [Organisation.objects.get(slug=slug).pk for slug in ORGANISATIONS]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE mediation_participation, mediation_outcome, mediation_subscription, "
            "mediation_beneficiarylog, mediation_accompaniment, mediation_beneficiary"
        )
    indicators = bound_indicators(plan=plan).count()
    print(f"Indicateurs liés à une source : {indicators}")

    results = {}
    steps = [
        ((0, small_people), (0, small_acc)),
        ((small_people, args.beneficiaries), (small_acc, args.accompaniments)),
    ]
    for people, activities in steps:
        started = time.perf_counter()
        with transaction.atomic():
            generate(people=people, activities=activities, orgs=orgs)
        generated = time.perf_counter() - started
        vacuum()
        n_acc, n_people = Accompaniment.objects.count(), Beneficiary.objects.count()
        n_part = Participation.objects.count()
        print(
            f"{n(n_acc):>9} accompagnements, {n(n_people):>7} bénéficiaires, "
            f"{n(n_part):>9} participations (générées, tables pré-agrégées comprises, "
            f"en {generated:.1f} s ; {n(ActivityDay.objects.count())} lignes jour × "
            f"organisation, {n(PersonDay.objects.count())} lignes personne × jour)"
        )
        for totals, label in ((False, "sur les enregistrements (référence)"),
                              (True, "sur les tables pré-agrégées")):  # fmt: skip
            recompute(plan, totals=totals)  # warm the caches
            elapsed, queries, values = recompute(plan, totals=totals)
            results[(totals, n_acc)] = (elapsed, queries, values)
            print(
                f"    {len(values)} indicateurs recalculés {label} en {elapsed:.2f} s, "
                f"{queries} requêtes SQL ({load()})"
            )
        same = results[(True, n_acc)][2] == results[(False, n_acc)][2]
        print(f"    mêmes valeurs sur les deux chemins : {'oui' if same else 'NON !'}")
        if not same:
            sys.exit("Les tables pré-agrégées ne donnent pas les valeurs des enregistrements.")
    for totals, label in ((False, "Référence (enregistrements)"), (True, "Tables pré-agrégées")):
        (small_n, (small_t, small_q, _)), (large_n, (large_t, large_q, _)) = sorted(
            (size, result) for (path, size), result in results.items() if path == totals
        )
        ratio = large_t / small_t
        growth = large_n / small_n
        if ratio <= growth * 1.05:
            verdict = "linéaire ou mieux"
        elif ratio <= growth * 1.5:
            verdict = "à peu près linéaire"
        else:
            verdict = "plus que linéaire : à examiner"
        same_queries = "même nombre de requêtes" if small_q == large_q else "requêtes en plus !"
        print(
            f"{label} : {indicators} indicateurs, {n(small_n)} → {n(large_n)} accompagnements "
            f"(×{growth:.0f}) : {small_t:.2f} s → {large_t:.2f} s, rapport {ratio:.1f} "
            f"({verdict}), {same_queries} ({large_q})."
        )
    large = max(size for _, size in results)
    speedup = results[(False, large)][0] / results[(True, large)][0]
    print(
        f"Résumé : à {n(large)} accompagnements, {results[(True, large)][0]:.2f} s sur les tables "
        f"pré-agrégées contre {results[(False, large)][0]:.2f} s sur les enregistrements "
        f"(×{speedup:.1f} plus rapide) ; {load()}."
    )


if __name__ == "__main__":
    main()
