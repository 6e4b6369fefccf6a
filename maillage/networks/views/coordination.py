"""The network's back office: coordinators act (`networks.coordinate`), the organisations
steering the network follow (`networks.view`). Every list is filterable and exportable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from maillage import clock
from maillage.organisations.models import Organisation
from maillage.organisations.permissions import can_coordinate_network
from maillage.plan.labels import MeetingBody
from maillage.spreadsheets import table_response

from .. import labels, meetings, reminders, report, returns, returns_csv, services
from ..forms import (
    AttendanceForm,
    MeetingRecordForm,
    MemberFilterForm,
    MemberForm,
    NetworkSettingsForm,
    ReturnFilterForm,
    ReturnImportForm,
    StatusForm,
    TrainingForm,
)
from ..labels import LogAction, MemberStatus
from ..models import (
    Member,
    MonthlyReturn,
    Network,
    OnlinePresence,
    ReturnReminder,
    month_label,
    previous_month,
)
from .access import coordinated_network, network_member, viewable_network
from .member_pages import publication_form, return_form

EXPORT_FORMATS = {"csv", "xlsx"}
LIST_SIZE = 200


def _require_coordinate(request, network) -> None:
    if not can_coordinate_network(request.user, network):
        raise PermissionDenied


def _context(request, network, **extra) -> dict:
    return {
        "network": network,
        "can_coordinate": can_coordinate_network(request.user, network),
        **extra,
    }


# --- Dashboard ------------------------------------------------------------------------------


@login_required
def home(request, slug):
    network = viewable_network(request, slug)
    today = clock.today()
    last_month = previous_month(today)
    members = Member.objects.filter(network=network)
    by_status = dict(
        members.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    active = members.active_on(today).count()
    target = report.network_target(network)
    return render(
        request,
        "networks/home.html",
        _context(
            request,
            network,
            active=active,
            target=target,
            progress=min(100, round(100 * active / target)) if target else None,
            statuses=[(s, by_status.get(s, 0)) for s in MemberStatus],
            last_month=last_month,
            last_month_label=month_label(last_month),
            completion=returns.completion(network, last_month),
            missing=returns.missing_returns(network, last_month).order_by("last_name")[:50],
            reminders=ReturnReminder.objects.filter(member__network=network, month=last_month)
            .select_related("member")
            .order_by("-sent_at")[:10],
            rules=[
                meetings.year_rule(network, today.year),
                meetings.year_rule(network, today.year - 1),
            ],
            upcoming=meetings.network_meetings(network)
            .filter(starts_at__gte=clock.now())
            .order_by("starts_at")[:4],
            trainings=network.trainings.filter(ends_on__gte=today).order_by("starts_on")[:4],
            years=list(range(today.year, today.year - 4, -1)),
        ),
    )


@login_required
def network_settings(request, slug):
    network = coordinated_network(request, slug)
    # The form validates a copy: the service compares the network as it was with the new data.
    form = NetworkSettingsForm(request.POST or None, instance=Network.objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        services.network_update(network=network, data=form.cleaned_data, by=request.user)
        messages.success(request, labels.MSG_NETWORK_SAVED)
        return redirect(network.get_absolute_url())
    return render(request, "networks/network_settings.html", _context(request, network, form=form))


# --- Members --------------------------------------------------------------------------------

MEMBER_HEADERS = [
    "Nom",
    "Prénom",
    "Métier",
    "Poste",
    "Courriel",
    "Téléphone",
    "Structure",
    "Commune de la structure (INSEE)",
    "Statut",
    "Depuis le",
    "Formation initiale suivie le",
    "Charte signée le",
    "Signataire",
    "Publics",
    "Communes couvertes",
    "Réseaux sociaux",
    "Dernier bilan",
    "Compte lié",
]


def _member_rows(members):
    for m in members:
        yield [
            m.last_name,
            m.first_name,
            m.get_job_display(),
            m.job_title,
            m.email,
            m.phone,
            m.organisation.name,
            m.organisation.commune_insee,
            m.get_status_display(),
            m.status_since,
            m.initial_training_on,
            m.agreement_signed_on,
            m.agreement_signatory,
            ", ".join(m.audience_labels),
            ", ".join(c.name for c in m.communes.all()),
            " | ".join(str(p) for p in m.presences.all()),
            f"{m.last_return:%Y-%m}" if m.last_return else "",
            "oui" if m.user_id else "non",
        ]


@login_required
def member_list(request, slug):
    network = viewable_network(request, slug)
    base = Member.objects.filter(network=network)
    form = MemberFilterForm(
        request.GET or None,
        organisations=Organisation.objects.filter(pk__in=base.values("organisation")),
    )
    members = form.apply(
        base.with_overview()
        .select_related("organisation", "network")
        .prefetch_related(
            "communes", Prefetch("presences", OnlinePresence.objects.order_by("platform"))
        )
        .order_by("last_name", "first_name", "pk")
    )
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        services.log_export(members=members, by=request.user)
        return table_response(fmt, f"membres-{network.slug}", MEMBER_HEADERS, _member_rows(members))
    return render(
        request,
        "networks/member_list.html",
        _context(
            request,
            network,
            form=form,
            members=members[:LIST_SIZE],
            total=members.count(),
            query=request.GET.urlencode(),
        ),
    )


def _member_form_view(request, network, member=None):
    # The form validates a copy: the service compares the record as it was with the new data.
    form = MemberForm(
        request.POST or None, instance=Member.objects.get(pk=member.pk) if member else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            if member is None:
                member = services.member_register(
                    network=network,
                    data=form.member_data(),
                    communes=form.cleaned_data["communes"],
                    status=form.cleaned_data["status"],
                    status_on=form.cleaned_data["status_on"],
                    new_structure=form.new_structure_data(),
                    by=request.user,
                )
            else:
                services.member_update(
                    member=member,
                    data=form.member_data(),
                    communes=form.cleaned_data["communes"],
                    new_structure=form.new_structure_data(),
                    by=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_MEMBER_SAVED.format(name=member.full_name))
            if member.user_id:
                messages.info(request, labels.MSG_ACCOUNT_LINKED.format(email=member.user.email))
            elif member.email:
                messages.info(request, labels.MSG_NO_ACCOUNT.format(email=member.email))
            return redirect(member.get_absolute_url())
    return render(
        request, "networks/member_form.html", _context(request, network, form=form, member=member)
    )


@login_required
def member_create(request, slug):
    return _member_form_view(request, coordinated_network(request, slug))


@login_required
def member_edit(request, slug, pk):
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    if member.is_erased:
        raise Http404
    return _member_form_view(request, network, member)


@login_required
def member_detail(request, slug, pk):
    network = viewable_network(request, slug)
    member = network_member(network, pk)
    services.log(member, LogAction.VIEWED, request.user)
    trained_on = member.initial_training_done_on()
    return render(
        request,
        "networks/member_detail.html",
        _context(
            request,
            network,
            member=member,
            history=member.status_changes.select_related("user").order_by("-effective_on", "-id"),
            status_form=StatusForm(member=member) if member.allowed_transitions() else None,
            can_undo_status=member.status_changes.count() > 1,
            presences=member.presences.all(),
            trainings=member.training_attendances.select_related("session").order_by(
                "-session__starts_on"
            ),
            recent_returns=member.returns.with_totals().order_by("-month")[:12],
            meetings_attended=member.meeting_participations.select_related("meeting").order_by(
                "-meeting__starts_at"
            )[:10],
            initial_training_on=trained_on,
            counts_as_active=member.counts_as_active_on(clock.today()),
            training_required=network.active_requires_initial_training and trained_on is None,
            logs=member.logs.select_related("user")[:15],
        ),
    )


def _status_message(template: str, member: Member) -> str:
    return template.format(
        name=member.full_name,
        status=member.get_status_display().lower(),
        date=f"{member.status_since:%d/%m/%Y}",
    )


@require_POST
@login_required
def member_status(request, slug, pk):
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    form = StatusForm(request.POST, member=member)
    if form.is_valid():
        try:
            member = services.member_change_status(
                member=member,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["effective_on"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _status_message(labels.MSG_STATUS_CHANGED, member))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(member.get_absolute_url())


@require_POST
@login_required
def member_status_undo(request, slug, pk):
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    try:
        member = services.member_undo_last_status(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _status_message(labels.MSG_STATUS_UNDONE, member))
    return redirect(member.get_absolute_url())


@login_required
def member_publication(request, slug, pk):
    """A coordinator records the member's publication choices and online presence."""
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    if member.is_erased:
        raise Http404
    return publication_form(request, member, template_context=_context(request, network))


@login_required
def member_return(request, slug, pk):
    """A coordinator enters a member's return (sent on paper, by email…)."""
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    return return_form(request, member, template_context=_context(request, network))


@login_required
def member_erase(request, slug, pk):
    network = coordinated_network(request, slug)
    member = network_member(network, pk)
    if request.method == "POST":
        services.member_erase(member=member, by=request.user)
        messages.success(request, labels.MSG_ERASED)
        return redirect(member.get_absolute_url())
    return render(request, "networks/member_erase.html", _context(request, network, member=member))


# --- Trainings ------------------------------------------------------------------------------


@login_required
def training_list(request, slug):
    network = viewable_network(request, slug)
    sessions = network.trainings.annotate(
        present=Count("attendances", filter=Q(attendances__presence="present"))
    ).order_by("-starts_on")
    kind = request.GET.get("type", "")
    if kind in labels.TrainingKind.values:
        sessions = sessions.filter(kind=kind)
    year = request.GET.get("annee", "")
    if year.isdigit():
        sessions = sessions.filter(starts_on__year=int(year))
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            f"formations-{network.slug}",
            ["Type", "Intitulé", "Début", "Fin", "Lieu", "Animée par", "Présents"],
            (
                [
                    s.get_kind_display(),
                    s.title,
                    s.starts_on,
                    s.ends_on,
                    s.location,
                    s.trainer,
                    s.present,
                ]
                for s in sessions
            ),
        )
    return render(
        request,
        "networks/training_list.html",
        _context(
            request,
            network,
            sessions=sessions,
            kinds=labels.TrainingKind.choices,
            kind=kind,
            year=year,
            query=request.GET.urlencode(),
        ),
    )


def _training_form_view(request, network, session=None):
    form = TrainingForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.training_save(
                network=network, data=form.cleaned_data, session=session, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_TRAINING_SAVED)
            return redirect(session.get_absolute_url())
    return render(
        request,
        "networks/training_form.html",
        _context(request, network, form=form, session=session),
    )


@login_required
def training_create(request, slug):
    return _training_form_view(request, coordinated_network(request, slug))


@login_required
def training_edit(request, slug, pk):
    network = coordinated_network(request, slug)
    return _training_form_view(request, network, get_object_or_404(network.trainings, pk=pk))


@login_required
def training_detail(request, slug, pk):
    network = viewable_network(request, slug)
    session = get_object_or_404(network.trainings, pk=pk)
    current = dict(session.attendances.values_list("member_id", "presence"))
    candidates = Member.objects.filter(network=network, erased_at__isnull=True).filter(
        Q(pk__in=list(current)) | ~Q(status=MemberStatus.LEFT)
    )
    form = AttendanceForm(request.POST or None, members=candidates, current=current)
    if request.method == "POST":
        _require_coordinate(request, network)
        if form.is_valid():
            present = services.training_record_attendance(
                session=session, presences=form.presences(), by=request.user
            )
            messages.success(request, labels.MSG_ATTENDANCE_SAVED.format(count=present))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "networks/training_detail.html",
        _context(request, network, session=session, form=form),
    )


# --- Returns --------------------------------------------------------------------------------

RETURN_HEADERS = [
    "Mois",
    "Membre",
    "Structure",
    "Contacts en ligne",
    *[f"Contacts — {label}" for label in labels.Platform.labels],
    "Jeunes suivis",
    "Rencontres physiques",
    "Orientations",
    *[f"Sujet — {label}" for label in labels.Subject.labels],
    *[f"Orientation — {label}" for label in labels.Partner.labels],
    "Saisie",
    "Envoyé le",
]


def _return_rows(monthly_returns):
    for r in monthly_returns:
        grids = r.counts_by_kind()
        yield [
            f"{r.month:%Y-%m}",
            r.member.full_name,
            r.member.organisation.name,
            r.contacts,
            *[grids["channel"].get(code, 0) for code in labels.Platform.values],
            r.follow_ups,
            r.physical_meetings,
            r.redirections,
            *[grids["subject"].get(code, 0) for code in labels.Subject.values],
            *[grids["partner"].get(code, 0) for code in labels.Partner.values],
            r.get_source_display(),
            r.submitted_at.date(),
        ]


@login_required
def return_list(request, slug):
    network = viewable_network(request, slug)
    members = Member.objects.filter(network=network)
    form = ReturnFilterForm(request.GET or None, members=members)
    monthly_returns = form.apply(
        MonthlyReturn.objects.filter(member__network=network)
        .with_totals()
        .select_related("member__organisation", "member__network")
        .prefetch_related("counts")
        .order_by("-month", "member__last_name", "pk")
    )
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt, f"bilans-{network.slug}", RETURN_HEADERS, _return_rows(monthly_returns)
        )
    return render(
        request,
        "networks/return_list.html",
        _context(
            request,
            network,
            form=form,
            returns=monthly_returns[:LIST_SIZE],
            total=monthly_returns.count(),
            totals=[
                (labels.CountKind(kind).label, rows)
                for kind, rows in returns.grid_totals(monthly_returns).items()
            ],
            query=request.GET.urlencode(),
        ),
    )


@login_required
def return_import(request, slug):
    network = coordinated_network(request, slug)
    form = ReturnImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = returns_csv.import_returns(
            network, form.cleaned_data["file"].read(), by=request.user
        )
        if result.ok:
            messages.success(
                request,
                labels.MSG_IMPORT_DONE.format(created=result.created, updated=result.updated),
            )
            return redirect("networks:return_list", slug=network.slug)
    return render(
        request,
        "networks/return_import.html",
        _context(
            request,
            network,
            form=form,
            result=result,
            columns=list(returns_csv.COLUMNS),
            template_month=month_label(previous_month(clock.today())),
        ),
    )


@require_safe
@login_required
def return_template(request, slug):
    network = coordinated_network(request, slug)
    month = previous_month(clock.today())
    return table_response(
        "csv",
        f"bilans-{network.slug}-{month:%Y-%m}",
        list(returns_csv.COLUMNS),
        returns_csv.template_rows(network, month),
    )


@require_POST
@login_required
def reminders_send(request, slug):
    network = coordinated_network(request, slug)
    month = reminders.reminders_request(network=network, by=request.user)
    messages.success(request, labels.MSG_REMINDERS_QUEUED.format(month=month_label(month)))
    return redirect(network.get_absolute_url())


# --- Meetings -------------------------------------------------------------------------------


@login_required
def meeting_list(request, slug):
    network = viewable_network(request, slug)
    all_meetings = meetings.network_meetings(network)
    body = request.GET.get("instance", "")
    if body:
        all_meetings = all_meetings.filter(body=body)
    year = request.GET.get("annee", "")
    if year.isdigit():
        all_meetings = all_meetings.filter(starts_at__year=int(year))
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            f"reunions-{network.slug}",
            [
                "Date",
                "Instance",
                "Intitulé",
                "Lieu",
                "Tenue",
                "Présents (membres et organisations)",
                "Compte rendu",
            ],
            (
                [
                    m.starts_at.date(),
                    m.get_body_display(),
                    m.title,
                    m.location,
                    "oui" if m.held else "non",
                    m.present,
                    "oui" if m.minutes else "non",
                ]
                for m in all_meetings
            ),
        )
    today = clock.today()
    return render(
        request,
        "networks/meeting_list.html",
        _context(
            request,
            network,
            meetings=all_meetings,
            rules=[meetings.year_rule(network, y) for y in range(today.year, today.year - 3, -1)],
            bodies=MeetingBody.choices,
            body=body,
            year=year,
            query=request.GET.urlencode(),
        ),
    )


def _meeting_network(request, pk: int) -> Network:
    """The network (one the person coordinates, if any) whose sheet holds meeting `pk`, among
    those they follow; a 404 for anybody else."""
    candidates = list(
        Network.objects.visible_to(request.user)
        .filter(sheet__meetings=pk)
        .select_related("organisation", "sheet")
    )
    if not candidates:
        raise Http404
    coordinated = [n for n in candidates if can_coordinate_network(request.user, n)]
    return (coordinated or candidates)[0]


@login_required
def meeting_detail(request, pk):
    network = _meeting_network(request, pk)
    meeting = get_object_or_404(meetings.network_meetings(network), pk=pk)
    current = meetings.current_presences(meeting)
    candidates = Member.objects.filter(network=network, erased_at__isnull=True).filter(
        Q(pk__in=list(current)) | ~Q(status=MemberStatus.LEFT)
    )
    organisations = Organisation.objects.filter(
        Q(pk=network.organisation_id)
        | Q(pk__in=network.steering_organisations.values("pk"))
        | Q(pk__in=meeting.sheets.values("actors__organisation"))
    ).distinct()
    form = MeetingRecordForm(
        request.POST or None,
        members=candidates,
        current=current,
        organisations=organisations,
        initial={
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            "organisations": list(
                meeting.network_participants.filter(organisation__isnull=False).values_list(
                    "organisation_id", flat=True
                )
            ),
        },
    )
    if request.method == "POST":
        _require_coordinate(request, network)
        if form.is_valid():
            meetings.meeting_record(
                network=network,
                meeting=meeting,
                presences=form.presences(),
                organisations=form.cleaned_data["organisations"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                by=request.user,
            )
            messages.success(request, labels.MSG_MEETING_SAVED)
            return redirect("networks:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "networks/meeting_detail.html",
        _context(request, network, meeting=meeting, form=form),
    )


# --- Yearly report --------------------------------------------------------------------------


@require_safe
@login_required
def report_pdf(request, slug, year):
    network = viewable_network(request, slug)
    today = clock.today()
    if not 2000 <= year <= today.year:
        raise Http404
    pdf = report.report_pdf(report.year_report(network, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{network.slug}-{year}.pdf"'
    return response
