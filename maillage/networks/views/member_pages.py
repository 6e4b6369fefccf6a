"""The two pages about one member that both a coordinator and the member themself use:
the short monthly return, and the publication choices with the online presence. Whoever
calls them has loaded the member for a person allowed to act for them; the services check
again (`networks.coordinate`, or the member's own account)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render

from maillage import clock

from .. import labels, returns, services
from ..forms import (
    ConsentForm,
    MonthlyReturnForm,
    PresenceFormSet,
    parse_month,
    recent_months,
)
from ..labels import COUNT_CHOICES
from ..models import Member, month_label, previous_month


def return_form(request, member: Member, *, template_context: dict):
    """The short monthly form, for `member` (shared with the member's own page)."""
    month = parse_month(request.GET.get("mois", "")) or previous_month(clock.today())
    existing = member.returns.prefetch_related("counts").filter(month=month).first()
    form = MonthlyReturnForm(
        request.POST or None,
        months=recent_months(),
        initial={"month": f"{month:%Y-%m}", **returns.initial_data(existing)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            monthly_return = returns.return_submit(
                member=member,
                month=form.cleaned_data["month"],
                data=form.return_data(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, labels.MSG_RETURN_SAVED.format(month=month_label(monthly_return.month))
            )
            return redirect(template_context.get("after_return") or member.get_absolute_url())
    return render(
        request,
        "networks/return_form.html",
        {
            **template_context,
            "member": member,
            "form": form,
            "existing": existing,
            "grids": [(kind, kind.label, form.grid(kind)) for kind in COUNT_CHOICES],
        },
    )


def publication_form(request, member: Member, *, template_context: dict):
    """Publication choices and online presence of `member` (shared with the member's own page)."""
    initial = [
        {"platform": p.platform, "handle": p.handle, "url": p.url, "public": p.public}
        for p in member.presences.all()
    ]
    consents = ConsentForm(request.POST or None, member=member, prefix="accord")
    presences = PresenceFormSet(request.POST or None, initial=initial, prefix="presence")
    if request.method == "POST" and consents.is_valid() and presences.is_valid():
        rows = [
            form.cleaned_data
            for form in presences.forms
            if form.has_changed() or form.initial
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            with transaction.atomic():  # both, or neither
                services.member_set_consents(
                    member=member, consents=consents.cleaned_data, by=request.user
                )
                services.presences_set(member=member, presences=rows, by=request.user)
        except ValidationError as error:
            consents.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, labels.MSG_CONSENTS_SAVED)
            return redirect(request.path)
    return render(
        request,
        "networks/publication_form.html",
        {**template_context, "member": member, "consents": consents, "presences": presences},
    )
