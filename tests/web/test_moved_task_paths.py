"""Tasks queued before they moved next to their services (issue 15) still run after the
deploy: the data migrations rewrite their dotted paths, and the worker finds each new one."""

import importlib

import pytest
from django.apps import apps
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from maillage.appointments.notifications import send_booking_message
from maillage.transport.notify import send_ride_message
from maillage.transport.planning import plan_day_task

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MIGRATIONS = (
    "maillage.appointments.migrations.0004_moved_task_paths",
    "maillage.transport.migrations.0005_moved_task_paths",
)


@pytest.mark.django_db
@override_settings(TASKS=QUEUED)
def test_tasks_queued_under_their_old_paths_point_to_the_moved_functions():
    queued = {
        "maillage.appointments.tasks.send_booking_message": send_booking_message.enqueue(
            1, "confirmation", "email", None, 0
        ),
        "maillage.transport.tasks.plan_day_task": plan_day_task.enqueue(1),
        "maillage.transport.tasks.send_ride_message": send_ride_message.enqueue(1, "x", "sms"),
    }
    for old, result in queued.items():
        DBTaskResult.objects.filter(id=result.id).update(task_path=old)
    for name in MIGRATIONS:
        importlib.import_module(name).forwards(apps, None)
    rows = DBTaskResult.objects.all()
    assert len(rows) == 3
    assert {row.task.func for row in rows} == {
        send_booking_message.func,
        plan_day_task.func,
        send_ride_message.func,
    }
    for name in MIGRATIONS:
        importlib.import_module(name).backwards(apps, None)
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == set(queued)
