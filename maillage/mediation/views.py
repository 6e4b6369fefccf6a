"""Pages of the mediation app: the mediator's phone-first back office, the dashboards and
exports, and the public anonymous statistics of a plan.

Who may see what is decided by `organisations.permissions` through the querysets'
`visible_to` (a beneficiary of another organisation is a 404, its existence not revealed).
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maillage import clock
from maillage.organisations import permissions
from maillage.organisations.models import Organisation
from maillage.places.models import Place
from maillage.plan.charts import bar_chart
from maillage.plan.models import Plan
from maillage.spreadsheets import table_response

from . import attendance, labels, receipts, services, statistics
from .forms import (
    AccompanimentEditForm,
    AccompanimentForm,
    BeneficiaryForm,
    MergeForm,
    OutcomeForm,
    ParticipantsForm,
    StatsFilterForm,
)
from .labels import AccompanimentKind, LogAction
from .models import Accompaniment, Beneficiary, Subscription

EXPORT_FORMATS = {"csv", "xlsx"}
LIST_SIZE = 100


def _organisations(request):
    organisations = permissions.recording_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _beneficiary(request, code: str) -> Beneficiary:
    qs = Beneficiary.objects.visible_to(request.user).select_related("organisation", "commune")
    beneficiary = get_object_or_404(qs, code=code)
    if beneficiary.merged_into_id:
        return beneficiary.merged_into
    return beneficiary


def _places(organisations):
    own = Place.objects.filter(organisation__in=organisations)
    return own if own.exists() else Place.objects.all()


@login_required
def home(request):
    organisations = _organisations(request)
    recent = (
        Accompaniment.objects.visible_to(request.user)
        .annotate(named=Count("participations"))
        .select_related("place")
        .order_by("-date", "-id")[:10]
    )
    return render(
        request,
        "mediation/home.html",
        {
            "organisations": organisations,
            "recent": recent,
            "pending": attendance.pending(organisations),
            "beneficiary_count": Beneficiary.objects.visible_to(request.user).active().count(),
        },
    )


# --- Beneficiaries --------------------------------------------------------------------------


@login_required
def beneficiary_list(request):
    _organisations(request)
    q = request.GET.get("q", "").strip()
    beneficiaries = (
        Beneficiary.objects.visible_to(request.user)
        .active()
        .select_related("commune", "organisation")
        .annotate(sessions=Count("participations"))
    )
    if q:
        beneficiaries = beneficiaries.filter(services.beneficiary_search_q(q))
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            "beneficiaires",
            ["Code", "Organisation", "Commune", "Tranche d'âge", "Situation", "Séances"],
            (
                [
                    b.code,
                    b.organisation.name,
                    b.commune.name if b.commune_id else "",
                    b.get_age_band_display(),
                    b.get_situation_display(),
                    b.sessions,
                ]
                for b in beneficiaries
            ),
        )
    return render(
        request,
        "mediation/beneficiary_list.html",
        {"beneficiaries": beneficiaries[:LIST_SIZE], "q": q, "total": beneficiaries.count()},
    )


@login_required
def beneficiary_create(request):
    organisations = _organisations(request)
    organisation = organisations.first()
    form = BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary = services.beneficiary_create(
                organisation=organisation,
                data=form.model_data(),
                by=request.user,
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_BENEFICIARY_SAVED.format(code=beneficiary.code))
            return redirect(beneficiary.get_absolute_url())
    return render(request, "mediation/beneficiary_form.html", {"form": form, "beneficiary": None})


@login_required
def beneficiary_detail(request, code):
    beneficiary = _beneficiary(request, code)
    services.log(beneficiary, LogAction.VIEWED, request.user)
    return render(
        request,
        "mediation/beneficiary_detail.html",
        {
            "beneficiary": beneficiary,
            "accompaniments": beneficiary.accompaniments.select_related("place").order_by(
                "-date", "-id"
            ),
            "outcomes": beneficiary.outcomes.order_by("-date", "-id"),
            "subscriptions": beneficiary.subscriptions.order_by("-starts_on"),
            "duplicates": []
            if beneficiary.erased_at
            else services.find_duplicates(beneficiary.organisation, beneficiary=beneficiary),
            "merged_records": beneficiary.merged_records.all(),
            "logs": beneficiary.logs.select_related("user")[:20],
            "outcome_form": OutcomeForm(),
            "merge_form": MergeForm(),
        },
    )


@login_required
def beneficiary_edit(request, code):
    beneficiary = _beneficiary(request, code)
    if beneficiary.erased_at:
        raise Http404
    form = BeneficiaryForm(request.POST or None, instance=beneficiary)
    if request.method == "POST" and form.is_valid():
        try:
            services.beneficiary_update(
                beneficiary=beneficiary,
                data=form.model_data(),
                by=request.user,
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_BENEFICIARY_SAVED.format(code=beneficiary.code))
            return redirect(beneficiary.get_absolute_url())
    return render(
        request, "mediation/beneficiary_form.html", {"form": form, "beneficiary": beneficiary}
    )


@require_POST
@login_required
def beneficiary_merge(request, code):
    target = _beneficiary(request, code)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = get_object_or_404(
            Beneficiary.objects.visible_to(request.user), code=form.cleaned_data["duplicate"]
        )
        try:
            services.beneficiary_merge(target=target, duplicate=duplicate, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, labels.MSG_MERGED.format(duplicate=duplicate.code, target=target.code)
            )
    return redirect(target.get_absolute_url())


@login_required
def beneficiary_erase(request, code):
    beneficiary = _beneficiary(request, code)
    if request.method == "POST":
        services.beneficiary_erase(beneficiary=beneficiary, by=request.user)
        messages.success(request, labels.MSG_ERASED.format(code=beneficiary.code))
        return redirect(beneficiary.get_absolute_url())
    return render(request, "mediation/beneficiary_erase.html", {"beneficiary": beneficiary})


@require_safe
@login_required
def beneficiary_export(request, code):
    beneficiary = _beneficiary(request, code)
    data = services.beneficiary_export(beneficiary=beneficiary, by=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="donnees-{beneficiary.code}.json"'
    return response


@require_POST
@login_required
def outcome_create(request, code):
    beneficiary = _beneficiary(request, code)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(
                beneficiary=beneficiary, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, labels.MSG_OUTCOME_SAVED)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(beneficiary.get_absolute_url())


@login_required
def subscription_create(request, code):
    from .forms import SubscriptionForm

    beneficiary = _beneficiary(request, code)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = services.subscription_create(
            beneficiary=beneficiary,
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["on"],
            payment_method=form.cleaned_data["payment_method"],
            by=request.user,
        )
        messages.success(
            request, labels.MSG_SUBSCRIPTION_SAVED.format(label=subscription.get_kind_display())
        )
        return redirect(beneficiary.get_absolute_url())
    return render(
        request,
        "mediation/subscription_form.html",
        {"form": form, "beneficiary": beneficiary, "fees": labels.DEFAULT_FEES},
    )


@require_safe
@login_required
def receipt_pdf(request, pk):
    subscription = get_object_or_404(
        Subscription.objects.filter(
            beneficiary__in=Beneficiary.objects.visible_to(request.user)
        ).select_related("beneficiary", "organisation"),
        pk=pk,
    )
    if not subscription.receipt_number:
        raise Http404
    services.log(subscription.beneficiary, LogAction.RECEIPT, request.user)
    response = HttpResponse(receipts.receipt_pdf(subscription), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recu-{subscription.receipt_number}.pdf"'
    return response


@login_required
def duplicates(request):
    organisations = _organisations(request)
    pairs = [p for o in organisations for p in services.find_duplicates(o)]
    return render(request, "mediation/duplicates.html", {"pairs": pairs})


# --- Accompaniments -------------------------------------------------------------------------


@login_required
def accompaniment_create(request):
    organisations = _organisations(request)
    beneficiaries = (
        Beneficiary.objects.visible_to(request.user)
        .active()
        .filter(erased_at__isnull=True)
        .select_related("commune")
        .order_by("first_name", "last_name", "code")
    )
    initial = {}
    if code := request.GET.get("beneficiaire"):
        initial["beneficiary"] = beneficiaries.filter(code=code).first()
    form = AccompanimentForm(
        request.POST or None,
        organisations=organisations,
        beneficiaries=beneficiaries,
        places=_places(organisations),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            people = []
            beneficiary = form.cleaned_data.get("beneficiary")
            if beneficiary is None and form.cleaned_data["kind"] != AccompanimentKind.COLLECTIVE:
                beneficiary = services.beneficiary_create(
                    organisation=organisation, data=form.new_beneficiary_data(), by=request.user
                )
            if beneficiary is not None:
                people.append(beneficiary)
            accompaniment = services.accompaniment_record(
                organisation=organisation,
                data=form.accompaniment_data(),
                beneficiaries=people,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                labels.MSG_ACCOMPANIMENT_SAVED.format(date=f"{accompaniment.date:%d/%m/%Y}"),
            )
            return redirect(accompaniment.get_absolute_url())
    return render(
        request, "mediation/accompaniment_form.html", {"form": form, "accompaniment": None}
    )


@login_required
def accompaniment_detail(request, pk):
    accompaniment = get_object_or_404(
        Accompaniment.objects.visible_to(request.user).select_related("place", "commune"), pk=pk
    )
    candidates = (
        Beneficiary.objects.filter(organisation=accompaniment.organisation)
        .active()
        .filter(erased_at__isnull=True)
        .exclude(participations__accompaniment=accompaniment)
        .order_by("first_name", "code")
    )
    form = ParticipantsForm(request.POST or None, beneficiaries=candidates)
    if request.method == "POST" and form.is_valid():
        added = services.accompaniment_add_participants(
            accompaniment=accompaniment,
            beneficiaries=form.cleaned_data["beneficiaries"],
            by=request.user,
        )
        messages.success(request, f"{added} participant(s) ajouté(s).")
        return redirect(accompaniment.get_absolute_url())
    return render(
        request,
        "mediation/accompaniment_detail.html",
        {
            "accompaniment": accompaniment,
            "participants": accompaniment.beneficiaries.order_by("first_name", "code"),
            "form": form if accompaniment.kind == AccompanimentKind.COLLECTIVE else None,
        },
    )


def _own_accompaniment(request, pk) -> Accompaniment:
    """An accompaniment of an organisation where the person records them (404 otherwise)."""
    return get_object_or_404(
        Accompaniment.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


@login_required
def accompaniment_edit(request, pk):
    """Correct a record; the history keeps the version it replaces."""
    accompaniment = _own_accompaniment(request, pk)
    places = _places(Organisation.objects.filter(pk=accompaniment.organisation_id))
    form = AccompanimentEditForm(request.POST or None, accompaniment=accompaniment, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            services.accompaniment_update(
                accompaniment=accompaniment, data=form.accompaniment_data(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_ACCOMPANIMENT_CORRECTED)
            return redirect(accompaniment.get_absolute_url())
    return render(
        request,
        "mediation/accompaniment_form.html",
        {"form": form, "accompaniment": accompaniment},
    )


@login_required
def accompaniment_delete(request, pk):
    """GET asks for confirmation and says what follows; POST deletes (history kept)."""
    accompaniment = _own_accompaniment(request, pk)
    if request.method == "POST":
        services.accompaniment_delete(accompaniment=accompaniment, by=request.user)
        messages.success(request, labels.MSG_ACCOMPANIMENT_DELETED)
        return redirect("mediation:accompaniment_list")
    return render(
        request,
        "mediation/accompaniment_delete.html",
        {
            "accompaniment": accompaniment,
            "participants": accompaniment.beneficiaries.order_by("first_name", "code"),
        },
    )


@require_POST
@login_required
def from_attendance(request, source, pk):
    try:
        data = attendance.read(source, pk)
    except (LookupError, ObjectDoesNotExist) as exc:
        raise Http404(labels.ERR_UNKNOWN_SOURCE.format(source=source)) from exc
    if not permissions.can_record_accompaniment(request.user, data.organisation):
        raise Http404
    try:
        accompaniment, created = services.accompaniment_from_attendance(data, by=request.user)
    except ValidationError as exc:  # nobody marked present yet
        messages.error(request, " ".join(exc.messages))
        return redirect("mediation:home")
    if created:
        count = accompaniment.participations.count() + accompaniment.anonymous_participants
        messages.success(request, labels.MSG_FROM_ATTENDANCE.format(count=count))
    else:
        messages.info(request, labels.MSG_ALREADY_FROM_ATTENDANCE)
    return redirect(accompaniment.get_absolute_url())


@login_required
def accompaniment_list(request):
    organisations = _organisations(request)
    form = StatsFilterForm(request.GET or None, organisations=organisations)
    filters, start, end = form.source_filters()
    filters["organisation_ids"] = filters.get("organisation_ids") or list(
        organisations.values_list("pk", flat=True)
    )
    qs = (
        statistics.accompaniments(filters, start=start, end=end)
        .select_related("place", "commune", "organisation")
        .annotate(named=Count("participations"))
        .order_by("-date", "-id")
    )
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            "accompagnements",
            [
                "Date",
                "Organisation",
                "Type",
                "Durée (min)",
                "Lieu",
                "Commune",
                "Thématiques",
                "Participants nommés",
                "Participants non nommés",
                "Autonomie",
                "Orientation",
            ],
            (
                [
                    a.date.isoformat(),
                    a.organisation.name,
                    a.get_kind_display(),
                    a.duration_minutes,
                    a.place.name if a.place_id else a.get_location_kind_display(),
                    a.commune.name if a.commune_id else "",
                    ", ".join(a.theme_labels),
                    a.named,
                    a.anonymous_participants,
                    a.get_autonomy_display(),
                    a.oriented_to,
                ]
                for a in qs.iterator(chunk_size=2000)
            ),
        )
    return render(
        request,
        "mediation/accompaniment_list.html",
        {"form": form, "accompaniments": qs[:LIST_SIZE], "total": qs.count()},
    )


# --- Statistics -----------------------------------------------------------------------------


def _chart_blocks(breakdowns: dict, measure: str = "people") -> list[dict]:
    label = statistics.MEASURES[measure]
    return [
        {
            "key": key,
            "title": block["title"],
            "rows": block["rows"],
            "chart": bar_chart(
                title=f"{block['title']} — {label.lower()}",
                rows=block["rows"],
                measure=measure,
                measure_label=label,
                horizontal=key != "mois",
            ),
        }
        for key, block in breakdowns.items()
    ]


def _breakdowns(filters, start, end) -> list[dict]:
    return _chart_blocks(
        {
            key: {
                "title": title,
                "rows": [vars(r) for r in function(filters, start=start, end=end)],
            }
            for key, (title, function) in statistics.BREAKDOWNS.items()
        }
    )


@login_required
def stats(request):
    organisations = _organisations(request)
    form = StatsFilterForm(request.GET or None, organisations=organisations)
    filters, start, end = form.source_filters()
    filters["organisation_ids"] = filters.get("organisation_ids") or list(
        organisations.values_list("pk", flat=True)
    )
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        rows = []
        for _key, (title, function) in statistics.BREAKDOWNS.items():
            rows += [
                [title, r.label, r.activities, r.sessions, r.people]
                for r in function(filters, start=start, end=end)
            ]
        return table_response(
            fmt,
            "statistiques-mediation",
            ["Répartition", "Valeur", *statistics.MEASURES.values()],
            rows,
        )
    return render(
        request,
        "mediation/stats.html",
        {
            "form": form,
            "totals": statistics.totals(filters, start=start, end=end),
            "funnel": statistics.funnel(filters, start=start, end=end),
            "blocks": _breakdowns(filters, start, end),
            "measures": statistics.MEASURES,
            "query": request.GET.urlencode(),
        },
    )


def public_stats(request, slug):
    """Anonymous statistics of the organisations acting in a plan; small counts masked."""
    plan = get_object_or_404(Plan.objects.public(), slug=slug)
    year = request.GET.get("annee", "")
    today = clock.today()
    start, end = None, today
    if year.isdigit() and 2000 <= int(year) <= today.year:
        start, end = dt.date(int(year), 1, 1), min(today, dt.date(int(year), 12, 31))
    data = statistics.public_statistics(plan, start=start, end=end)
    return render(
        request,
        "mediation/public_stats.html",
        {
            "plan": plan,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "totals": data["totals"],
            "blocks": _chart_blocks(data["breakdowns"]),
            "mask_note": labels.PUBLIC_MASK_NOTE.format(threshold=data["threshold"]),
            "measures": statistics.MEASURES,
        },
    )


def stats_url(plan: Plan) -> str:
    return reverse("mediation:public_stats", args=[plan.slug])
