"""Reminders to members who have not sent last month's return (email, background task).

The nightly command `network_reminders` enqueues, for every network whose reminder day has
come (the 5th by default), the task `remind_missing_returns`: it emails each member who owes
last month's return, has an address, and was not reminded for that month yet. A coordinator
may also send the reminders from the network's page at any time (members already reminded
today are skipped). Each email sent is recorded (`ReturnReminder`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django_tasks import task

from maillage import clock

from . import labels
from .models import Member, Network, ReturnReminder, month_label, previous_month
from .returns import missing_returns
from .services import _check_coordinate

logger = logging.getLogger(__name__)


def to_remind(network: Network, month: dt.date, *, manual: bool = False) -> QuerySet[Member]:
    """Members owing `month`'s return with an address, not reminded yet for it (or, for a
    reminder sent by hand, not reminded today)."""
    reminders = ReturnReminder.objects.filter(member=OuterRef("pk"), month=month)
    if manual:
        reminders = reminders.filter(sent_at__date=clock.today())
    return (
        missing_returns(network, month)
        .exclude(email="")
        .annotate(reminded=Exists(reminders))
        .filter(reminded=False)
    )


def reminder_email(member: Member, month: dt.date) -> EmailMessage:
    network = member.network
    url = f"{settings.MAILLAGE_SITE_URL.rstrip('/')}{reverse('networks:my_return')}"
    url += f"?mois={month:%Y-%m}"
    coordinator = network.organisation
    return EmailMessage(
        subject=labels.REMINDER_SUBJECT.format(month=month_label(month)),
        body=labels.REMINDER_BODY.format(
            first_name=member.first_name,
            month=month_label(month),
            network=network.name,
            url=url,
            coordinator=f"La coordination du réseau — {coordinator.name}",
        ),
        to=[member.email],
        reply_to=[coordinator.email] if coordinator.email else None,
    )


def send_reminders(network: Network, month: dt.date, *, manual: bool = False) -> int:
    """Email every member to remind; returns how many emails left."""
    sent = 0
    for member in to_remind(network, month, manual=manual):
        try:
            reminder_email(member, month).send()
        except OSError:  # SMTP down: the next run tries again (nothing recorded)
            logger.exception("Reminder to member %s failed", member.pk)
            continue
        ReturnReminder.objects.create(member=member, month=month, sent_at=clock.now())
        sent += 1
    return sent


@task()
def remind_missing_returns(network_id: int, month: str, manual: bool = False) -> int:
    """Background task: remind the network's members who owe `month`'s return (ISO date)."""
    network = Network.objects.select_related("organisation").get(pk=network_id)
    return send_reminders(network, dt.date.fromisoformat(month), manual=manual)


def reminders_request(*, network: Network, by=None) -> dt.date:
    """A coordinator asks for the reminders of last month now; returns that month."""
    _check_coordinate(by, network)
    month = previous_month(clock.today())
    transaction.on_commit(
        lambda: remind_missing_returns.enqueue(
            network_id=network.pk, month=month.isoformat(), manual=True
        )
    )
    return month


def schedule_reminders(today: dt.date | None = None) -> list[tuple[Network, dt.date]]:
    """For the nightly job: enqueue the reminders of every network whose day has come."""
    today = today or clock.today()
    month = previous_month(today)
    scheduled = []
    for network in Network.objects.filter(reminder_day__lte=today.day):
        remind_missing_returns.enqueue(network_id=network.pk, month=month.isoformat())
        scheduled.append((network, month))
    return scheduled
