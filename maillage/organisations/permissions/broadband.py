"""Rules on broadband figures and the roll-out programme."""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

from ..models import Organisation
from .plan import _sheet_actors, is_plan_admin
from .rule_book import (
    BROADBAND_IMPORT_FIGURES,
    BROADBAND_MANAGE_PROGRAMME,
    _is_person,
    organisations_where,
)

# --- Broadband (sheets Num10, Num11) --------------------------------------------------------
# "The organisation" is a pilot organisation of a sheet a roll-out programme serves (Num10's,
# or Num11's for its phase).


def _pilot_organisations(sheet_ids) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=_sheet_actors()
        .pilots()
        .filter(sheet_id__in=sheet_ids, organisation__isnull=False)
        .values("organisation_id")
    )


def _broadband_sheet_ids() -> set[int]:
    """The sheets a roll-out programme serves: its own (Num10) and its phases' (Num11)."""
    programmes = apps.get_model("broadband", "Programme").objects.filter(sheet__isnull=False)
    phases = apps.get_model("broadband", "Phase").objects.filter(sheet__isnull=False)
    return set(programmes.values_list("sheet_id", flat=True)) | set(
        phases.values_list("sheet_id", flat=True)
    )


def can_import_broadband_figures(user) -> bool:
    """Plan administrators, and holders of `broadband.import_figures` in an organisation
    piloting a sheet that a roll-out programme serves, import the regulator's or the
    operator's figures."""
    if not _is_person(user):
        return False
    if is_plan_admin(user):
        return True
    pilots = _pilot_organisations(_broadband_sheet_ids())
    return organisations_where(user, BROADBAND_IMPORT_FIGURES).filter(pk__in=pilots).exists()


def can_manage_programme(user, programme, phase=None) -> bool:
    """Plan administrators and the pilots (`broadband.manage_programme`) of the programme's
    sheet manage all its works; the pilots of a phase's own sheet (Num11 for the CC des 4B Sud
    Charente) manage that phase."""
    if not _is_person(user):
        return False
    if is_plan_admin(user):
        return True
    sheet_ids = [programme.sheet_id] if programme.sheet_id else []
    if phase is not None and phase.sheet_id:
        sheet_ids.append(phase.sheet_id)
    pilots = _pilot_organisations(sheet_ids)
    return organisations_where(user, BROADBAND_MANAGE_PROGRAMME).filter(pk__in=pilots).exists()


def can_manage_work(user, work) -> bool:
    """A work of a roll-out programme: `can_manage_programme` for its phase."""
    return can_manage_programme(user, work.phase.programme, work.phase)


def can_manage_some_of_programme(user, programme) -> bool:
    """The whole programme or at least one of its phases (`programme_phases_managed`)."""
    phases = programme_phases_managed(user, programme)
    return phases is None or phases.exists()


def programme_phases_managed(user, programme) -> QuerySet | None:
    """The phases of `programme` whose works `user` may edit (None: every phase)."""
    phases = apps.get_model("broadband", "Phase").objects
    if can_manage_programme(user, programme):
        return None
    if not _is_person(user):
        return phases.none()
    allowed = organisations_where(user, BROADBAND_MANAGE_PROGRAMME)
    sheet_ids = _sheet_actors().pilots().filter(organisation__in=allowed).values("sheet_id")
    return phases.filter(programme=programme, sheet_id__in=sheet_ids)
