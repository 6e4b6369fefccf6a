"""Background tasks (django-tasks): they take ids, never objects."""

from django_tasks import task

from . import notifications, retention, services


@task()
def send_booking_message(booking_id: int, kind: str, channel: str, reminder_offset, attempt: int):
    return notifications.deliver(booking_id, kind, channel, reminder_offset, attempt)


@task()
def tick() -> dict:
    """The periodic work (every minute, `maillage appointments-tick` from cron)."""
    return {
        "holds_expired": services.holds_expire(),
        "reminders": notifications.send_due_reminders(),
        "retries": notifications.retry_due_messages(),
        "erased": retention.erase_expired_personal_data(),
    }
