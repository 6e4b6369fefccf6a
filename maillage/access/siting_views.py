"""The pilot's pages for siting scenarios: list, new scenario, its result (before/after maps,
population newly covered, communes still far), side-by-side comparison, PDF for the steering
committee. Who may do what is asked of the permissions package (`access.plan_siting`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maillage.organisations.permissions import (
    ACCESS_PLAN_SITING,
    permission_required_anywhere,
)
from maillage.plan.exports import _pdf

from . import scenarios, siting_maps
from .candidates import TEMPLATE
from .models import SitingScenario
from .siting_forms import SitingScenarioForm

MAX_COMPARED = 4


def _scenario(request, pk: int) -> SitingScenario:
    return get_object_or_404(
        SitingScenario.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


@require_GET
@permission_required_anywhere(ACCESS_PLAN_SITING)
def siting_list(request):
    scenarios_seen = SitingScenario.objects.visible_to(request.user).select_related(
        "organisation", "created_by"
    )
    return render(request, "access/siting_list.html", {"scenarios": scenarios_seen})


@require_http_methods(["GET", "POST"])
@permission_required_anywhere(ACCESS_PLAN_SITING)
def siting_create(request):
    form = SitingScenarioForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in (
                "name", "kind", "objective", "k", "minutes", "candidates", "from_scratch",
                "opening_hours",
            )
        }  # fmt: skip
        with transaction.atomic():
            scenario = scenarios.scenario_create(
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                candidate_rows=form.candidate_rows,
                candidate_filename=form.cleaned_data.get("candidate_filename", ""),
                **fields,
            )
        messages.success(request, "Scénario enregistré : le calcul est lancé.")
        return redirect(scenario)
    return render(request, "access/siting_form.html", {"form": form})


def _context(scenario: SitingScenario) -> dict:
    result = scenario.result if scenario.is_done else {}
    far = siting_maps.still_far(result) if result else []
    return {
        "scenario": scenario,
        "result": result,
        "maps": siting_maps.draw(result) if result else None,
        "still_far": far,
        "newly_served": siting_maps.newly_served(result) if result else [],
        "legend_classes": siting_maps.CLASSES,
    }


@require_GET
@login_required
def siting_detail(request, pk: int):
    scenario = _scenario(request, pk)
    return render(request, "access/siting_detail.html", _context(scenario))


@require_GET
@login_required
def siting_pdf(request, pk: int):
    scenario = _scenario(request, pk)
    if not scenario.is_done:
        raise Http404("Le calcul de ce scénario n'est pas terminé.")
    html = render_to_string(
        "access/pdf/siting.html", {**_context(scenario), "generated": timezone.localtime()}
    )
    response = HttpResponse(_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="scenario-implantation-{scenario.pk}.pdf"'
    return response


@require_POST
@login_required
def siting_delete(request, pk: int):
    scenario = _scenario(request, pk)
    scenario.delete()
    messages.success(request, f"Scénario « {scenario.name} » supprimé.")
    return redirect("access:siting_list")


@require_GET
@permission_required_anywhere(ACCESS_PLAN_SITING)
def siting_compare(request):
    ids = [value for value in request.GET.getlist("s") if value.isdigit()][:MAX_COMPARED]
    chosen = list(
        SitingScenario.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("pk")
    )
    columns = [
        {
            **_context(scenario),
            "far_count": len(siting_maps.still_far(scenario.result)) if scenario.is_done else None,
            "map_id": f"carte-{scenario.pk}",
        }
        for scenario in chosen
    ]
    return render(request, "access/siting_compare.html", {"columns": columns})


@require_GET
@permission_required_anywhere(ACCESS_PLAN_SITING)
def siting_template(request):
    response = HttpResponse("\ufeff" + TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lieux-candidats.csv"'
    return response
