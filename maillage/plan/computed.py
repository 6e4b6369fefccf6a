"""Computed indicators: bind an indicator to a registered source, compute and store its values.

A computed value is a `Measurement` with source "computed" and its provenance (source,
filters, counting, period, computed at), shown beside hand-entered values. One computed
measurement per indicator and date: recomputing the same day replaces the value (history
keeps the old one).

Filters understood by every source that says so (see each source's `filters`):
`organisation` — an organisation slug, a list of slugs, or "pilots" (the sheet's pilot
organisations); `territory` — an INSEE commune code or an EPCI SIREN; `period` —
"cumulative" (default: from the beginning up to the date) or "year" (the calendar year up to
the date); the others are the source's own (`themes`, `kind`, `situation`…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from maillage import clock

from . import sources
from .labels import ActorRole, Counting, MeasurementMethod, MeasurementSource, TargetKind
from .models import ActionSheet, Indicator, Measurement, Plan
from .services import _check_edit, measurement_record, target_set

PERIODS = {"cumulative": "depuis le début", "year": "année civile en cours"}


@dataclass(frozen=True)
class Binding:
    source: str
    filters: dict
    counting: str = ""


# The seed's indicators this data can feed: (sheet ref, label as imported) → binding.
# "pilots" resolves to the sheet's pilot organisations, so the binding follows the sheet.
SEED_BINDINGS: dict[tuple[str, str], Binding] = {
    ("Num01", "Nombre de bénéficiaires"): Binding(
        "mediation.people", {"organisation": "pilots"}, Counting.PEOPLE
    ),
    ("Num01", "Nombre de personnes participant ensuite aux cours collectifs"): Binding(
        "mediation.outcomes",
        {"organisation": "pilots", "outcome": "joined_collective"},
        Counting.PEOPLE,
    ),
    ("Num01", "Nombre de personnes s'équipant individuellement"): Binding(
        "mediation.outcomes", {"organisation": "pilots", "outcome": "equipped"}, Counting.PEOPLE
    ),
    ("Num05", "Nombre de personnes accompagnées dans la médiation numérique"): Binding(
        "mediation.people",
        {"organisation": "pilots", "exclude_themes": ["mobility"]},
        Counting.PEOPLE,
    ),
    ("Num05", "Nombre de personnes accompagnées dans la mobilité"): Binding(
        "mediation.people", {"organisation": "pilots", "themes": ["mobility"]}, Counting.PEOPLE
    ),
    ("Num02", "Nombre de Pnd"): Binding("networks.active_members", {}),
    ("Num02", "Nombre de contacts"): Binding("networks.contacts", {"period": "year"}),
    ("Num02", "Nombre de rencontres physiques"): Binding(
        "networks.physical_meetings", {"period": "year"}
    ),
    ("Num06", "Nombre de points implantés"): Binding("places.points_visio_open", {}),
    ("Num06", "Nombre d'usagers ayant utilisé le point visio"): Binding(
        "mediation.people", {"place_kind": "point_visio"}, Counting.PEOPLE
    ),
    ("Num06", "Nombre d'opérateurs présents"): Binding("places.visio_operators", {}),
    ("Num07", "Nombre d'ateliers"): Binding(
        "mediation.accompaniments",
        {"organisation": "pilots", "kind": "collective", "period": "year"},
    ),
    ("Num07", "Nombre de participants"): Binding(
        "mediation.people",
        {"organisation": "pilots", "kind": "collective", "period": "year"},
        Counting.SESSIONS,
    ),
    ("Num07", "Nombre de comptes espace privé créés"): Binding(
        "mediation.outcomes",
        {"organisation": "pilots", "outcome": "online_account", "account": "msa", "period": "year"},
        Counting.SESSIONS,
    ),
    ("Num08", "Nombre de points de médiation dans le département"): Binding(
        "places.library_mediation_points_open", {}
    ),
    ("Num09", "Nombre de personnes accompagnées"): Binding(
        "mediation.people", {"rsa": True}, Counting.PEOPLE
    ),
    # Num10: the figures of its description (see figure_indicators.py), from the regulator's
    # statistics and the roll-out programme; Num11: the CC des 4B Sud Charente's territory.
    ("Num10", "Lignes inéligibles à tout accès fixe à internet"): Binding(
        "broadband.ineligible_lines", {"basis": "all"}
    ),
    ("Num10", "Lignes à moins de 3 Mbit/s"): Binding("broadband.slow_lines", {"basis": "wired"}),
    ("Num10", "Communes couvertes en fibre (FttH) par le programme"): Binding(
        "broadband.programme_communes", {"programme": "charente-thd"}
    ),
    ("Num10", "Prises FttH raccordables dans les communes du programme"): Binding(
        "broadband.ftth_connectable", {"programme": "charente-thd"}
    ),
    ("Num11", "Nombre de prises FttH"): Binding(
        "broadband.ftth_connectable", {"territory": "200029734"}
    ),
}


# Targets the seed states outside its indicator lines, set when the indicator has no target at
# all (once people set targets, theirs are kept): Num02's sub-action "Créer un réseau de 30
# « Promeneurs du Net »", a network whose coordination was created in February 2017.
SEED_TARGETS: dict[tuple[str, str], tuple[tuple[str, int, int | None, str], ...]] = {
    ("Num02", "Nombre de Pnd"): (
        (TargetKind.INITIAL, 0, 2017, "Réseau créé en 2017 (coordination depuis février 2017)."),
        (TargetKind.FINAL, 30, None, "Sous-action : « Créer un réseau de 30 Promeneurs du Net »."),
    ),
}


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def validate_binding(source_key: str, filters: dict, counting: str) -> sources.Source:
    source = sources.get(source_key)
    if source is None:
        raise ValidationError({"source_key": f"Source inconnue : « {source_key} »."})
    if not isinstance(filters, dict):
        raise ValidationError({"source_filters": "Les filtres sont un objet JSON."})
    if filters.get("period", "cumulative") not in PERIODS:
        raise ValidationError({"source_filters": "Période : « cumulative » ou « year »."})
    if counting and counting not in source.countings:
        raise ValidationError({"counting": "Cette source ne propose pas ce décompte."})
    return source


@transaction.atomic
def indicator_bind(
    *,
    indicator: Indicator,
    source_key: str,
    filters: dict | None = None,
    counting: str = "",
    by=None,
) -> Indicator:
    """Make `indicator` computed from `source_key` (validated), or manual with an empty key."""
    if by is not None:
        _check_edit(by, indicator.sheet)
    filters = dict(filters or {})
    if not source_key:
        indicator.measurement_method = MeasurementMethod.MANUAL
        indicator.source_key, indicator.source_filters, indicator.counting = "", {}, ""
    else:
        source = validate_binding(source_key, filters, counting)
        if source.countings and not counting:
            counting = source.countings[-1]
        indicator.measurement_method = MeasurementMethod.COMPUTED
        indicator.source_key, indicator.source_filters, indicator.counting = (
            source_key,
            filters,
            counting,
        )
    if by is not None:
        indicator._history_user = by
    indicator.save()
    return indicator


def bind_seed_indicators(plan: Plan) -> list[Indicator]:
    """Bind the seed's indicators that recorded operations can feed (idempotent).

    Indicators someone bound differently are left alone; unknown sources are skipped.
    """
    bindings = {(ref, _fold(label)): b for (ref, label), b in SEED_BINDINGS.items()}
    targets = {(ref, _fold(label)): t for (ref, label), t in SEED_TARGETS.items()}
    bound = []
    for indicator in Indicator.objects.filter(sheet__plan=plan).select_related("sheet"):
        key = (indicator.sheet.ref, _fold(indicator.label))
        if key in targets and not indicator.targets.exists():
            for kind, value, year, note in targets[key]:
                target_set(indicator=indicator, kind=kind, value=value, year=year, note=note)
        binding = bindings.get(key)
        if binding is None or sources.get(binding.source) is None:
            continue
        if indicator.source_key and indicator.source_key != binding.source:
            continue
        if (
            indicator.source_key == binding.source
            and indicator.source_filters == binding.filters
            and indicator.counting == binding.counting
            and indicator.measurement_method == MeasurementMethod.COMPUTED
        ):
            bound.append(indicator)
            continue
        bound.append(
            indicator_bind(
                indicator=indicator,
                source_key=binding.source,
                filters=binding.filters,
                counting=binding.counting,
            )
        )
    return bound


def pilot_organisation_slugs(sheet: ActionSheet) -> list[str]:
    return list(
        sheet.actors.filter(role=ActorRole.PILOT, organisation__isnull=False).values_list(
            "organisation__slug", flat=True
        )
    )


def resolved_filters(indicator: Indicator, *, counting: str | None = None) -> dict:
    """The indicator's filters with "pilots" replaced by organisation slugs, and counting."""
    filters = dict(indicator.source_filters or {})
    if filters.get("organisation") == "pilots":
        filters["organisation"] = pilot_organisation_slugs(indicator.sheet)
    counting = indicator.counting if counting is None else counting
    if counting:
        filters["counting"] = counting
    return filters


def period_for(filters: dict, on: dt.date) -> tuple[dt.date | None, dt.date]:
    if filters.get("period") == "year":
        return dt.date(on.year, 1, 1), on
    return None, on


def compute_value(
    indicator: Indicator, *, on: dt.date | None = None, counting: str | None = None
) -> tuple[Decimal, dict]:
    """(value, provenance) of a bound indicator at `on`, without storing anything."""
    on = on or clock.today()
    source = sources.get(indicator.source_key)
    if source is None:
        raise ValidationError(f"Source inconnue : « {indicator.source_key} ».")
    filters = resolved_filters(indicator, counting=counting)
    start, end = period_for(filters, on)
    value = source(filters, start=start, end=end)
    provenance = {
        "source": source.key,
        "label": source.label,
        "filters": indicator.source_filters,
        "resolved_filters": filters,
        "counting": filters.get("counting", ""),
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat()},
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }
    return value, provenance


@transaction.atomic
def indicator_compute(
    indicator: Indicator, *, on: dt.date | None = None, by=None
) -> Measurement | None:
    """Compute a bound indicator at `on` (today by default) and store it as a measurement.

    None when its source has no data for that date yet (`sources.NoData`): nothing stored.
    """
    on = on or clock.today()
    try:
        value, provenance = compute_value(indicator, on=on)
    except sources.NoData:
        return None
    existing = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, date=on, source=MeasurementSource.COMPUTED)
        .first()
    )
    if existing is not None:
        if (
            existing.value != value
            or existing.provenance.get("filters") != indicator.source_filters
        ):
            existing.value, existing.provenance = value, provenance
            if by is not None:
                existing._history_user = by
            existing.save(update_fields=["value", "provenance"])
        return existing
    return measurement_record(
        indicator=indicator,
        value=value,
        date=on,
        author=by,
        source=MeasurementSource.COMPUTED,
        provenance=provenance,
        comment=f"Calculé : {provenance['label']}",
        check_permission=False,
    )


def bound_indicators(*, plan: Plan | None = None, source_prefix: str = ""):
    qs = Indicator.objects.filter(measurement_method=MeasurementMethod.COMPUTED).exclude(
        source_key=""
    )
    if plan is not None:
        qs = qs.filter(sheet__plan=plan)
    if source_prefix:
        qs = qs.filter(source_key__startswith=source_prefix)
    return qs.select_related("sheet__plan")


def compute_all(
    *, plan: Plan | None = None, on: dt.date | None = None, source_prefix: str = ""
) -> list[Measurement]:
    """Compute every bound indicator (of `plan`, of sources starting with `source_prefix`);
    indicators whose source has no data yet are skipped."""
    measurements = (
        indicator_compute(indicator, on=on)
        for indicator in bound_indicators(plan=plan, source_prefix=source_prefix)
        if sources.get(indicator.source_key) is not None
    )
    return [m for m in measurements if m is not None]


def binding_summary(indicator: Indicator) -> dict | None:
    """What the indicator page shows about a binding: source, filters, both countings now."""
    source = sources.get(indicator.source_key) if indicator.source_key else None
    if source is None:
        return None
    today = clock.today()
    values = []
    for counting in source.countings or ("",):
        try:
            value, _ = compute_value(indicator, on=today, counting=counting)
        except sources.NoData:
            value = None
        values.append(
            {
                "counting": counting,
                "label": Counting(counting).label if counting else source.unit or "valeur",
                "value": value,
                "current": counting == (indicator.counting or ""),
            }
        )
    last = (
        indicator.measurements.filter(source=MeasurementSource.COMPUTED)
        .order_by("-date", "-id")
        .first()
    )
    filters = dict(indicator.source_filters or {})
    return {
        "source": source,
        "filters": filters,
        "period_label": PERIODS.get(filters.get("period", "cumulative"), ""),
        "values": values,
        "last": last,
    }
