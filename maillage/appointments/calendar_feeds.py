"""Private calendar feeds (ICS subscriptions) of an agent or a place: created by a staff
member for an agenda they hold, revoked by their creator, read by calendar programs through
the feed's secret token."""

from maillage import clock

from . import ics
from .labels import BookingStatus, FeedKind
from .models import Booking, CalendarFeed, Session


def calendar_feed_create(*, by, agent=None, place=None) -> CalendarFeed:
    """A new secret address for an agent's agenda or a place's (exactly one of them)."""
    if (agent is None) == (place is None):
        raise ValueError("A feed follows one agent or one place.")
    kind = FeedKind.AGENT if agent is not None else FeedKind.PLACE
    return CalendarFeed.objects.create(kind=kind, agent=agent, place=place, created_by=by)


def calendar_feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    """The address stops working at once."""
    feed.revoked_at = clock.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def live_feed(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).first()


def feed_calendar(feed: CalendarFeed) -> bytes:
    """The feed's calendar: active appointments and workshop sessions of its agent or place,
    from 30 days ago to a year ahead."""
    low, high = ics.feed_window()
    bookings = Booking.objects.filter(
        starts_at__gte=low, starts_at__lt=high, session__isnull=True
    ).exclude(status__in=[BookingStatus.EXPIRED, BookingStatus.WAITLISTED])
    bookings = bookings.select_related("service__organisation", "place")
    if feed.kind == FeedKind.AGENT:
        bookings = bookings.filter(agent=feed.agent)
        sessions = Session.objects.filter(agent=feed.agent)
        name = f"Rendez-vous — {feed.agent.name}"
    else:
        bookings = bookings.filter(place=feed.place)
        sessions = Session.objects.filter(place=feed.place)
        name = f"Rendez-vous — {feed.place.name}"
    sessions = sessions.filter(starts_at__gte=low, starts_at__lt=high).select_related(
        "service", "place"
    )
    return ics.feed_ics(bookings, sessions, name=name)
