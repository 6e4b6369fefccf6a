"""A member's own pages, through the account linked to their record: their space, the short
monthly return, and what they publish in the directory."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from maillage import clock

from ..models import Member, previous_month
from .member_pages import publication_form, return_form


def _own_record(request) -> Member:
    """The network member whose account is the visitor's (a 404 for everybody else)."""
    member = (
        Member.objects.filter(user=request.user, erased_at__isnull=True)
        .select_related("network__organisation", "organisation")
        .order_by("-status_since", "-pk")
        .first()
    )
    if member is None:
        raise Http404
    return member


@login_required
def my_space(request):
    member = _own_record(request)
    last_month = previous_month(clock.today())
    return render(
        request,
        "networks/my_space.html",
        {
            "member": member,
            "network": member.network,
            "last_month": last_month,
            "last_month_sent": member.returns.filter(month=last_month).exists(),
            "returns": member.returns.with_totals().order_by("-month")[:12],
            "presences": member.presences.all(),
        },
    )


@login_required
def my_return(request):
    member = _own_record(request)
    return return_form(
        request,
        member,
        template_context={
            "network": member.network,
            "own": True,
            "after_return": reverse("networks:my_space"),
        },
    )


@login_required
def my_publication(request):
    member = _own_record(request)
    return publication_form(
        request, member, template_context={"network": member.network, "own": True}
    )
