"""Links to cancel or move a booking without logging in.

A link carries a token signed with the site's secret (`django.core.signing`) naming the
booking's calendar uid; it stays valid until the appointment ends plus a day, and is useless
once the booking is anonymised (its uid then changes). The token handed out at booking time
is the same kind, so one check covers both.
"""

from django.core import signing

SALT = "maillage.appointments.manage"


def make_link_token(booking) -> str:
    return signing.dumps(str(booking.uid), salt=SALT, compress=False)


def booking_from_token(token: str):
    from .models import Booking

    try:
        uid = signing.loads(token, salt=SALT, max_age=60 * 60 * 24 * 400)
    except signing.BadSignature:
        return None
    return Booking.objects.filter(uid=uid).select_related("service", "place").first()
