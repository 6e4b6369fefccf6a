"""The appointments' periodic task (django-tasks). The other tasks are declared next to the
service they run (`notifications.send_booking_message`)."""

from django_tasks import task

from . import notifications, retention, services


@task()
def tick() -> dict:
    """The periodic work (every minute, `maillage appointments-tick` from cron)."""
    return {
        "holds_expired": services.holds_expire(),
        "reminders": notifications.send_due_reminders(),
        "retries": notifications.retry_due_messages(),
        "erased": retention.erase_expired_personal_data(),
    }
