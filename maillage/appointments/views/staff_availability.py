"""Agents' own agendas from the site: weekly windows, absences and leave (GET shows, each
POST view does one thing). Rights: `permissions.can_manage_availability` — the agent, or an
administrator of the agent's organisation — asked by the services too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from maillage.organisations import permissions
from maillage.places.models import Place

from .. import availability, labels
from ..forms import AbsenceForm, WeeklyRuleForm
from ..models import Absence, Agent, WeeklyRule

RULE_PREFIX, ABSENCE_PREFIX = "plage", "absence"


def _agent(request, pk: int) -> Agent:
    """An agent whose availability the person sets (404 otherwise: not revealed)."""
    return get_object_or_404(
        Agent.objects.filter(permissions.availability_agents_q(request.user)).select_related(
            "organisation"
        ),
        pk=pk,
    )


def _places(agent: Agent):
    """Where the agent may work: places of their services and of their organisation."""
    return (
        Place.objects.filter(
            Q(appointment_services__agents=agent) | Q(organisation=agent.organisation)
        )
        .distinct()
        .order_by("name")
    )


def _page(request, agent: Agent, rule_form=None, absence_form=None, status=200):
    rules = agent.rules.select_related("place").order_by("weekday", "start_time", "pk")
    return render(
        request,
        "appointments/availability.html",
        {
            "agent": agent,
            "rules": rules,
            "absences": availability.upcoming_absences(agent),
            "conflicts": availability.conflicts(agent),
            "rule_form": rule_form or WeeklyRuleForm(prefix=RULE_PREFIX, places=_places(agent)),
            "absence_form": absence_form or AbsenceForm(prefix=ABSENCE_PREFIX),
            "others": availability.manageable_agents(request.user).exclude(pk=agent.pk),
        },
        status=status,
    )


@require_safe
@permissions.permission_required_anywhere(
    permissions.APPOINTMENTS_MANAGE_AGENDA, permissions.ORGANISATION_MANAGE_MEMBERS
)
def availability_list(request):
    """ "Mes disponibilités": straight to one's own agenda, or the agents one manages."""
    agents = list(availability.manageable_agents(request.user).select_related("organisation"))
    if len(agents) == 1:
        return redirect("appointments:agent_availability", pk=agents[0].pk)
    return render(request, "appointments/availability_list.html", {"agents": agents})


@require_safe
@login_required
def agent_availability(request, pk: int):
    return _page(request, _agent(request, pk))


@require_POST
@login_required
def agent_rule_add(request, pk: int):
    agent = _agent(request, pk)
    form = WeeklyRuleForm(request.POST, prefix=RULE_PREFIX, places=_places(agent))
    if not form.is_valid():
        return _page(request, agent, rule_form=form, status=400)
    try:
        availability.weekly_rule_add(agent=agent, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, agent, rule_form=form, status=400)
    messages.success(request, labels.MSG_RULE_ADDED)
    return redirect("appointments:agent_availability", pk=agent.pk)


@require_POST
@login_required
def agent_rule_delete(request, pk: int):
    rule = get_object_or_404(
        WeeklyRule.objects.filter(agent__in=availability.manageable_agents(request.user)), pk=pk
    )
    availability.weekly_rule_delete(rule=rule, by=request.user)
    messages.success(request, labels.MSG_RULE_DELETED)
    return redirect("appointments:agent_availability", pk=rule.agent_id)


@require_POST
@login_required
def agent_absence_add(request, pk: int):
    agent = _agent(request, pk)
    form = AbsenceForm(request.POST, prefix=ABSENCE_PREFIX)
    if not form.is_valid():
        return _page(request, agent, absence_form=form, status=400)
    data = form.cleaned_data
    starts_at, ends_at = availability.absence_bounds(
        data["first_day"], data["last_day"], data["start_time"], data["end_time"]
    )
    _absence, affected = availability.absence_add(
        agent=agent, by=request.user, starts_at=starts_at, ends_at=ends_at, reason=data["reason"]
    )
    messages.success(request, labels.MSG_ABSENCE_ADDED)
    if affected:
        messages.warning(request, labels.MSG_ABSENCE_CONFLICTS.format(count=len(affected)))
    return redirect("appointments:agent_availability", pk=agent.pk)


@require_POST
@login_required
def agent_absence_delete(request, pk: int):
    absence = get_object_or_404(
        Absence.objects.filter(agent__in=availability.manageable_agents(request.user)), pk=pk
    )
    availability.absence_delete(absence=absence, by=request.user)
    messages.success(request, labels.MSG_ABSENCE_DELETED)
    return redirect("appointments:agent_availability", pk=absence.agent_id)
