"""The roll-out programme: its phases and works by commune, planned against done.

The programme's budget, funding and milestones are its sheet's (`plan.BudgetLine`,
`plan.Funding`, `plan.Milestone` of Num10); a phase points at a sheet's budget line when one
carries it (Num11's 3 374 200 €) or states its amount within the programme (the SDEG's
7,3 M€). Works are edited one by one or imported from a CSV (`works_import`), which checks
every line first and writes all of them or none; a work is recognised by (phase, commune,
technology), so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum

from maillage import clock, uploads
from maillage.import_errors import RowError
from maillage.organisations.permissions import can_manage_programme
from maillage.territory.models import Commune

from . import labels
from .labels import Technology
from .models import Programme, Work
from .quarters import Quarter
from .validation import normalise_code, row_error

WORKS_HEADER = [
    "phase",
    "code_insee",
    "technologie",
    "locaux_prevus",
    "trimestre_prevu",
    "locaux_realises",
    "trimestre_realise",
    "remarque",
]
WORKS_REQUIRED = ["phase", "code_insee", "locaux_prevus", "trimestre_prevu"]
_TECHNOLOGIES = {value: value for value in Technology.values} | {
    label.casefold(): value for value, label in Technology.choices
}


#: A département's works over a programme: a few thousand lines at most.
WORKS_MAX_BYTES = 5 * 1024 * 1024
WORKS_MAX_ROWS = 20_000


@transaction.atomic
def work_save(*, work: Work, by=None) -> Work:
    """Validate and save one work (its phase's managers only)."""
    if by is not None and not can_manage_programme(by, work.phase.programme, work.phase):
        raise PermissionDenied
    work.full_clean()
    work.save()
    return work


@dataclass
class WorksReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _quarter(text: str, *, required: bool) -> Quarter | None:
    if not text:
        if required:
            raise ValueError(labels.ERR_REQUIRED)
        return None
    try:
        return Quarter.parse(text)
    except ValueError:
        raise ValueError(labels.ERR_QUARTER.format(value=text)) from None


def _integer(text: str, *, required: bool) -> int | None:
    text = text.replace(" ", "").replace("\xa0", "")
    if not text:
        if required:
            raise ValueError(labels.ERR_REQUIRED)
        return None
    if not text.isdigit():
        raise ValueError(labels.ERR_INTEGER.format(value=text))
    return int(text)


def works_import(*, programme: Programme, content: bytes, by=None, dry_run: bool = False):
    """Import works from a CSV (see `WORKS_HEADER`); every line checked, then all or nothing."""
    report = WorksReport()
    try:
        uploads.check_size(len(content), WORKS_MAX_BYTES)
        text = uploads.check_text(content.decode("utf-8-sig"))
        if text.count("\n") > WORKS_MAX_ROWS:
            raise uploads.UploadRefused(f"Trop de lignes : {WORKS_MAX_ROWS} au plus par fichier.")
    except uploads.UploadRefused as error:
        report.errors.append(row_error(None, None, str(error)))
        return report
    except UnicodeDecodeError:
        report.errors.append(row_error(None, None, labels.ERR_ENCODING))
        return report
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [name for name in WORKS_REQUIRED if name not in header]
    if missing:
        report.errors += [
            row_error(None, None, labels.ERR_MISSING_COLUMN.format(column=name)) for name in missing
        ]
        return report
    phases = {p.name.casefold(): p for p in programme.phases.all()}
    communes = {}
    for insee, former in Commune.objects.values_list("insee_code", "former_codes"):
        communes[insee] = insee
        for code in former.split():
            communes.setdefault(code, insee)
    today = clock.today()
    wanted: dict[tuple[int, str, str], tuple[int, dict]] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue

        def error(column: str | None, message: str, line=line) -> None:
            report.errors.append(row_error(line, column, message))

        phase = phases.get(row.get("phase", "").casefold())
        if phase is None:
            error("phase", f"phase « {row.get('phase', '')} » inconnue dans ce programme.")
            continue
        if by is not None and not can_manage_programme(by, programme, phase):
            error("phase", f"vous ne pouvez pas modifier la phase « {phase.name} ».")
            continue
        code = normalise_code(row.get("code_insee", ""))
        insee = communes.get(code)
        if insee is None:
            error("code_insee", labels.ERR_UNKNOWN_COMMUNE.format(code=code))
            continue
        technology = _TECHNOLOGIES.get((row.get("technologie") or phase.technology).casefold())
        if technology is None:
            error("technologie", f"technologie inconnue : « {row['technologie']} ».")
            continue
        values = {}
        broken = False
        for column, name, parse, required in (
            ("locaux_prevus", "planned_premises", _integer, True),
            ("trimestre_prevu", "planned_quarter", _quarter, True),
            ("locaux_realises", "done_premises", _integer, False),
            ("trimestre_realise", "done_quarter", _quarter, False),
        ):
            try:
                value = parse(row.get(column, ""), required=required)
            except ValueError as problem:
                error(column, str(problem))
                broken = True
                continue
            values[name] = value.end if isinstance(value, Quarter) else value
        if broken:
            continue
        if (values["done_quarter"] is None) != (values["done_premises"] is None):
            error(
                "trimestre_realise",
                "renseignez ensemble « locaux_realises » et « trimestre_realise ».",
            )
            continue
        if values["done_quarter"] and values["done_quarter"] > today:
            error(
                "trimestre_realise",
                labels.ERR_FUTURE_QUARTER.format(quarter=Quarter.parse(values["done_quarter"])),
            )
            continue
        values["note"] = row.get("remarque", "")
        key = (phase.pk, insee, technology)
        if key in wanted:
            error("code_insee", f"chantier en double (déjà ligne {wanted[key][0]}).")
            continue
        wanted[key] = (line, values)
    if report.errors or dry_run:
        if not report.errors:
            _count(report, programme, wanted)
        return report
    with transaction.atomic():
        existing = {
            (w.phase_id, w.commune_id, w.technology): w
            for w in Work.objects.select_for_update().filter(phase__programme=programme)
        }
        for (phase_id, insee, technology), (_line, values) in wanted.items():
            work = existing.get((phase_id, insee, technology))
            if work is None:
                Work.objects.create(
                    phase_id=phase_id, commune_id=insee, technology=technology, **values
                )
                report.created += 1
            elif any(getattr(work, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(work, name, value)
                work.full_clean()
                work.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def _count(report: WorksReport, programme: Programme, wanted: dict) -> None:
    existing = {
        (w.phase_id, w.commune_id, w.technology): w
        for w in Work.objects.filter(phase__programme=programme)
    }
    for key, (_line, values) in wanted.items():
        work = existing.get(key)
        if work is None:
            report.created += 1
        elif any(getattr(work, name) != value for name, value in values.items()):
            report.updated += 1
        else:
            report.unchanged += 1


@dataclass
class Progress:
    planned_premises: int
    done_premises: int
    communes: int
    communes_done: int
    late: int

    @property
    def percent(self) -> int | None:
        if not self.planned_premises:
            return None
        return min(100, round(100 * self.done_premises / self.planned_premises))


def progress(works, *, today: dt.date | None = None) -> Progress:
    """Premises and communes planned and done, and works late, in one query."""
    today = today or clock.today()
    data = works.aggregate(
        planned=Sum("planned_premises"),
        done=Sum("done_premises", filter=Q(done_quarter__lte=today)),
        communes=Count("commune", distinct=True),
        communes_done=Count("commune", distinct=True, filter=Q(done_quarter__lte=today)),
        late=Count("pk", filter=Q(done_quarter__isnull=True, planned_quarter__lt=today)),
    )
    return Progress(
        planned_premises=data["planned"] or 0,
        done_premises=data["done"] or 0,
        communes=data["communes"],
        communes_done=data["communes_done"],
        late=data["late"],
    )


def progress_by_epci(programme: Programme, *, today: dt.date | None = None) -> list[dict]:
    """Premises planned and done per EPCI of the communes worked in."""
    today = today or clock.today()
    rows = (
        Work.objects.filter(phase__programme=programme)
        .values("commune__epci_id", "commune__epci__name")
        .annotate(
            planned=Sum("planned_premises"),
            done=Sum("done_premises", filter=Q(done_quarter__lte=today)),
            communes=Count("commune", distinct=True),
        )
        .order_by("commune__epci__name")
    )
    return [
        {
            "siren": r["commune__epci_id"],
            "name": r["commune__epci__name"] or "Sans intercommunalité",
            "planned": r["planned"] or 0,
            "done": r["done"] or 0,
            "communes": r["communes"],
        }
        for r in rows
    ]


def phases_progress(programme: Programme, *, today: dt.date | None = None) -> list[tuple]:
    today = today or clock.today()
    by_phase: dict[int, dict] = {}
    for row in (
        Work.objects.filter(phase__programme=programme)
        .values("phase_id")
        .annotate(
            planned=Sum("planned_premises"),
            done=Sum("done_premises", filter=Q(done_quarter__lte=today)),
            communes=Count("commune", distinct=True),
        )
    ):
        by_phase[row["phase_id"]] = row
    phases = programme.phases.select_related("budget_line", "sheet", "owner").prefetch_related(
        "epcis"
    )
    empty = {"planned": 0, "done": 0, "communes": 0}
    return [(phase, by_phase.get(phase.pk, empty)) for phase in phases]
