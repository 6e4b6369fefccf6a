"""The rider's link to see and cancel a ride without logging in.

The token is the ride request's `uid` signed with the site's secret (`django.core.signing`).
It stays valid until the ride is over plus `MAILLAGE_LINK_GRACE_HOURS`
(`RideRequest.links_expire_at`), like the booking links; anonymising a request changes its uid,
which kills the link at once.
"""

from django.core import signing

from maillage import clock

from .models import RideRequest

SALT = "maillage.transport.ride"


def make_ride_token(ride: RideRequest) -> str:
    return signing.dumps(str(ride.uid), salt=SALT, compress=False)


def ride_from_token(token: str) -> RideRequest | None:
    """The ride a link names, or None for a forged, unknown or expired link."""
    try:
        uid = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    ride = RideRequest.objects.filter(uid=uid).select_related("place", "commune", "booking").first()
    if ride is None or ride.links_expire_at <= clock.now():
        return None
    return ride
