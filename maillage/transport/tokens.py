"""The rider's link to see and cancel a ride without logging in.

The token is the ride request's `uid` signed with the site's secret (`django.core.signing`);
anonymising a request changes its uid, which kills the link.
"""

from django.core import signing

SALT = "maillage.transport.ride"
MAX_AGE = 60 * 60 * 24 * 400


def make_ride_token(ride) -> str:
    return signing.dumps(str(ride.uid), salt=SALT, compress=False)


def ride_from_token(token: str):
    from .models import RideRequest

    try:
        uid = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return RideRequest.objects.filter(uid=uid).select_related("place", "commune").first()
