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

from .models import Booking
from .slot_lists import cached_service, shown_place

SALT = "maillage.appointments.manage"


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
        booking = Booking.objects.get(uid=uid)
    except Booking.DoesNotExist:
        return None
    if booking.links_expire_at <= clock.now():
        return None
    # Its service (with its organisation) and place from the shared cache, until the
    # configuration changes: the booking's own row is all a link's page reads.
    booking.service = cached_service(booking.service_id)
    if booking.place_id is not None:
        booking.place = shown_place(booking.service, booking.place_id)
    return booking
