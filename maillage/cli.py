"""The `maillage` console command: the operations people run, with help in French or English.

It is Django's command line with the project's settings preselected and friendlier names
(`maillage import-sheets` runs the `import_sheets` management command).
"""

import os
import sys

ALIASES = {"serve": ["runserver", "127.0.0.1:8000"], "worker": ["db_worker"]}

# name: (French help, English help)
COMMANDS = {
    "serve": ("Sert l'application sur http://127.0.0.1:8000", "Serve the app on 127.0.0.1:8000"),
    "worker": (
        "Exécute les tâches de fond (courriels, SMS, imports, calculs)",
        "Run background tasks (emails, SMS, imports, computations)",
    ),
    "setup": (
        "Crée ou met à jour la base, charge le référentiel et la démonstration (idempotent)",
        "Migrate, load referential and demo data (idempotent)",
    ),
    "load-referential": (
        "Charge les communes, EPCI et organisations du schéma",
        "Load communes, EPCIs and the plan's organisations",
    ),
    "load-demo": ("Charge le jeu de démonstration", "Load the demonstration dataset"),
    "import-sheets": (
        "Importe un export texte de fiches action (par défaut, celles de la Charente)",
        "Import a text export of action sheets (default: the Charente's)",
    ),
    "import-communes": (
        "Importe les communes d'un département (CSV + contours GeoJSON)",
        "Import a département's communes (CSV + GeoJSON contours)",
    ),
    "import-places": (
        "Importe des lieux au standard national (CSV ou JSON ; --dry-run pour vérifier)",
        "Import places in the national standard (CSV or JSON; --dry-run to check)",
    ),
    "export-places": (
        "Exporte les lieux : --format csv|json|geojson|data-inclusion",
        "Export places: --format csv|json|geojson|data-inclusion",
    ),
    "darp-solve": (
        "Résout une instance de transport à la demande (format Cordeau) : --seconds S --json",
        "Solve a dial-a-ride instance (Cordeau format): --seconds S --json",
    ),
    "appointments-tick": (
        "Tâches minute des rendez-vous : options expirées, rappels, renvois, effacements (cron)",
        "Per-minute appointment jobs: expired holds, reminders, retries, retention (cron)",
    ),
    "compute-indicators": (
        "Recalcule les indicateurs du schéma liés à une source (cron quotidien)",
        "Recompute the plan indicators bound to a source (daily cron)",
    ),
    "rebuild-activity-totals": (
        "Recalcule les tables pré-agrégées des indicateurs de médiation (PostgreSQL, reprise)",
        "Rebuild the mediation indicators' pre-aggregated tables (PostgreSQL, backfill)",
    ),
    "bind-seed-indicators": (
        "Lie les indicateurs des fiches de la Charente à leurs sources de données",
        "Bind the Charente sheets' indicators to their data sources",
    ),
    "purge-help-requests": (
        "Efface les données personnelles des demandes de rappel anciennes (cron quotidien)",
        "Erase personal data of old call-back requests (daily cron)",
    ),
    "erase-inactive-beneficiaries": (
        "Efface les données personnelles des personnes accompagnées inactives (cron quotidien)",
        "Erase personal data of inactive beneficiaries (daily cron)",
    ),
    "import-broadband": (
        "Importe des chiffres du haut débit par commune (fichiers Arcep ou modèle ; --dry-run)",
        "Import broadband figures by commune (ARCEP files or template; --dry-run)",
    ),
    "import-broadband-works": (
        "Importe les chantiers du programme très haut débit (CSV ; --dry-run)",
        "Import the broadband programme's works (CSV; --dry-run)",
    ),
    "import-series": (
        "Importe des séries de valeurs d'indicateurs (CSV ou XLSX ; --dry-run)",
        "Import indicator value series (CSV or XLSX; --dry-run)",
    ),
    "backup": (
        "Sauvegarde toute la base dans un fichier (pg_dump ou copie SQLite en ligne)",
        "Back up the whole database to a file (pg_dump or SQLite online backup)",
    ),
    "restore": (
        "Restaure une sauvegarde dans la base configurée (--remplacer pour écraser)",
        "Restore a backup into the configured database (--remplacer to overwrite)",
    ),
    "permissions-doc": (
        "Écrit docs/permissions.md à partir du module des permissions (--check : vérifie)",
        "Write docs/permissions.md from the permissions package (--check: verify)",
    ),
    "import-network-returns": (
        "Importe des bilans mensuels de Promeneurs du Net (CSV ; --dry-run pour vérifier)",
        "Import Promeneurs du Net monthly returns (CSV; --dry-run to check)",
    ),
    "network-reminders": (
        "Relance les membres des réseaux sans bilan du mois précédent (cron quotidien)",
        "Remind network members who have not sent last month's return (daily cron)",
    ),
    "erase-departed-members": (
        "Efface les données personnelles des membres partis des réseaux (cron quotidien)",
        "Erase personal data of members who left a network (daily cron)",
    ),
    "migrate": ("Applique les migrations de la base", "Apply database migrations"),
    "createsuperuser": ("Crée un compte administrateur", "Create an admin account"),
}


def _english() -> bool:
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    return lang.lower().startswith("en") or "--en" in sys.argv


def usage() -> str:
    english = _english()
    lines = [
        "Usage: maillage COMMAND [options]" if english else "Usage : maillage COMMANDE [options]",
        "",
        "Commands:" if english else "Commandes :",
    ]
    for name, (fr, en) in COMMANDS.items():
        lines.append(f"  {name:<20} {en if english else fr}")
    lines += [
        "",
        (
            "`maillage COMMAND --help` details a command; every Django command is available too."
            if english
            else "`maillage COMMANDE --help` détaille une commande ; "
            "toutes les commandes Django restent disponibles."
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv = [a for a in argv if a != "--en"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.dev")
    if len(argv) < 2 or argv[1] in {"-h", "--help", "help", "aide"}:
        print(usage())
        return
    name, rest = argv[1], argv[2:]
    command = ALIASES.get(name, [name.replace("-", "_")])
    if name == "worker":
        # The worker plans the transport days: the planner's compiled loops are loaded once
        # here (about a second) rather than during the first day it plans.
        from maillage.transport.darp.kernel import warm_up

        warm_up()
    from django.core.management import execute_from_command_line

    execute_from_command_line([argv[0], *command, *rest])


if __name__ == "__main__":
    main()
