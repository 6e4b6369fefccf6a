"""Audit logs are append-only: the RGPD access log, the status transition logs and the plan's
history can be read, never edited nor deleted, from the admin or casually through the ORM."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from maillage.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from maillage.appointments.models import Booking, BookingEvent, MessageLog
from maillage.mediation.labels import LogAction
from maillage.mediation.models import BeneficiaryLog
from maillage.mediation.services import log
from maillage.plan.models import Measurement
from tests.appointments.factories import BookingFactory
from tests.mediation.factories import BeneficiaryFactory
from tests.plan.factories import MeasurementFactory

# Logs that are not append-only, and why.
NOT_APPEND_ONLY = {
    MessageLog: "the outbox of emails and SMS: retries update a row's status and attempts",
}


def _is_log(model) -> bool:
    name = model.__name__
    return model._meta.app_label != "axes" and (
        name.endswith(("Log", "Event")) or name.startswith("Historical")
    )


def test_every_log_is_append_only():
    logs = {model for model in apps.get_models() if _is_log(model)}
    assert {m.__name__ for m in logs} >= {
        "BeneficiaryLog",
        "BookingEvent",
        "RideRequestEvent",
        "HelpRequestEvent",
        "HistoricalMeasurement",
        "HistoricalActionSheet",
    }
    unguarded = {m.__name__ for m in logs - set(NOT_APPEND_ONLY) if not _guarded(m)}
    assert unguarded == set()


def _guarded(model) -> bool:
    return issubclass(model, AppendOnlyModel) and isinstance(
        model._default_manager.all(), AppendOnlyQuerySet
    )


def _access_log():
    return log(BeneficiaryFactory(), LogAction.VIEWED, None, reason="test")


def _booking_event():
    booking = BookingFactory(starts_at=timezone.now())
    return BookingEvent.objects.create(booking=booking, action="booked", note="Appelée au 06…")


def _history_row():
    MeasurementFactory(value=3)
    return Measurement.history.get()


@pytest.mark.django_db
@pytest.mark.parametrize("make", [_access_log, _booking_event, _history_row])
def test_a_logged_row_cannot_be_changed_nor_deleted(make):
    row = make()
    model = type(row)
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_personal_data_in_a_log_can_still_be_erased_and_go_with_its_parent():
    event = _booking_event()
    assert BookingEvent.objects.filter(pk=event.pk).erase("note", "user") == 1
    event.refresh_from_db()
    assert event.note == "" and event.user is None
    booking = event.booking
    # Deleting the parent (tests, erasure of a whole record) takes its log along.
    Booking._base_manager.filter(pk=booking.pk).delete()
    assert not BookingEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_deleting_the_author_keeps_the_log(user):
    entry = log(BeneficiaryFactory(), LogAction.VIEWED, user)
    user.delete()
    entry.refresh_from_db()
    assert entry.user is None


def _log_admins():
    """Every admin page and inline showing a log."""
    for model, model_admin in admin.site._registry.items():
        if _is_log(model):
            yield model_admin
        for inline in model_admin.inlines:
            if _is_log(inline.model):
                yield inline(model, admin.site)


@pytest.mark.django_db
def test_no_admin_page_adds_changes_or_deletes_a_log(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    shown = list(_log_admins())
    assert {type(a).__name__ for a in shown} >= {
        "BeneficiaryLogAdmin",
        "MessageLogAdmin",
        "BookingEventInline",
        "EventInline",
        "HelpRequestEventInline",
    }
    for model_admin in shown:
        inline = isinstance(model_admin, InlineModelAdmin)
        adds = (
            model_admin.has_add_permission(request, None)
            if inline
            else (model_admin.has_add_permission(request))
        )
        assert not adds, model_admin
        assert not model_admin.has_change_permission(request, None), model_admin
        assert not model_admin.has_delete_permission(request, None), model_admin
        assert model_admin.has_view_permission(request, None), model_admin


@pytest.mark.django_db
def test_the_access_log_in_the_admin_is_read_only(superuser, login):
    client = login(superuser)
    entry = _access_log()
    base = "admin:mediation_beneficiarylog"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    page = client.get(reverse(f"{base}_change", args=[entry.pk])).content.decode()
    assert "Consultation de la fiche" in page and 'name="_save"' not in page
    assert client.get(reverse(f"{base}_add")).status_code == 403
    assert (
        client.post(reverse(f"{base}_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    changed = client.post(reverse(f"{base}_change", args=[entry.pk]), {"action": "erased"})
    assert changed.status_code == 403
    actions = client.post(
        reverse(f"{base}_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert actions.status_code in (200, 302)
    assert BeneficiaryLog.objects.filter(pk=entry.pk, action=LogAction.VIEWED).exists()
