"""Tasks moved next to the services they run (issue 15): a message queued before the move
keeps its old dotted path, which the worker could no longer import. Point those rows at the
new home; the reverse migration points them back."""

from django.db import migrations

MOVED = {
    "maillage.appointments.tasks.send_booking_message": (
        "maillage.appointments.notifications.send_booking_message"
    ),
}


def forwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        results.objects.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        results.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_audit_user_at"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
