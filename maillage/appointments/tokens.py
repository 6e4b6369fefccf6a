"""Links to see, cancel or move a booking without logging in.

A link carries a token signed with the site's secret (`django.core.signing`) naming the
booking's calendar uid. It stays valid until the appointment ends plus
`MAILLAGE_LINK_GRACE_HOURS` (a day by default; `Booking.links_expire_at`), whenever it was
handed out and however often the booking moved: after that, the page, the calendar file and
the ride request behind it answer "lien expiré", so an old message no longer shows the person's
details. It is useless at once when the booking is anonymised (its uid then changes). The token
handed out at booking time is the same kind, so one check covers every link.
"""

from django.core import signing

from maillage import clock
from maillage.places.models import Place

from .models import Booking

SALT = "maillage.appointments.manage"
# What the pages, messages, calendar files and ride requests reached by a link show of the
# place: the other of its fifty columns are not read (a link's pages are the busiest ones).
PLACE_SHOWN = frozenset(
    {
        "id",
        "name",
        "address",
        "postcode",
        "commune_name",
        "commune_id",
        "latitude",
        "longitude",
        "wheelchair_accessible",
    }
)
_PLACE_UNREAD = tuple(
    f"place__{field.name}"
    for field in Place._meta.concrete_fields
    if field.attname not in PLACE_SHOWN
)


def make_link_token(booking: Booking) -> str:
    return signing.dumps(str(booking.uid), salt=SALT, compress=False)


def booking_from_token(token: str) -> Booking | None:
    """The booking a link names, or None for a forged, unknown or expired link."""
    try:
        uid = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    try:
        # get(), not first(): no ORDER BY to compile and run for a unique key.
        booking = (
            Booking.objects.select_related("service__organisation", "place")
            .defer(*_PLACE_UNREAD)
            .get(uid=uid)
        )
    except Booking.DoesNotExist:
        return None
    if booking.links_expire_at <= clock.now():
        return None
    return booking
