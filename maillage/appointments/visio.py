"""Videoconference rooms for Point Visio appointments (Jitsi Meet URL pattern).

Each appointment gets an unguessable room name (128 random bits); the link is
`{MAILLAGE_VISIO_SERVER}/{room}`, with `?jwt=…` when the server requires a token
(MAILLAGE_VISIO_JWT_SECRET, HS256, the claims Jitsi's token authentication reads). The link is
shown to the agent and the receptionist only: never on a public page or in the person's
messages (the person comes to the town hall, where the receptionist opens it).
"""

import base64
import hashlib
import hmac
import json
import secrets
from urllib.parse import urlparse

from django.conf import settings

ROOM_PREFIX = "maillage"


def new_room_name() -> str:
    return f"{ROOM_PREFIX}-{secrets.token_hex(16)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_for(room: str, *, expires_at: int, user_name: str = "") -> str:
    secret = settings.MAILLAGE_VISIO_JWT_SECRET
    server = urlparse(settings.MAILLAGE_VISIO_SERVER).hostname or ""
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "aud": "jitsi",
        "iss": settings.MAILLAGE_VISIO_JWT_APP_ID,
        "sub": server,
        "room": room,
        "exp": expires_at,
        "context": {"user": {"name": user_name}} if user_name else {},
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def room_url(booking, *, user_name: str = "") -> str:
    """The link to the booking's room ('' for bookings without one)."""
    if not booking.visio_room:
        return ""
    url = f"{settings.MAILLAGE_VISIO_SERVER.rstrip('/')}/{booking.visio_room}"
    if settings.MAILLAGE_VISIO_JWT_SECRET:
        expires = int(booking.ends_at.timestamp()) + 3600
        url += "?jwt=" + jwt_for(booking.visio_room, expires_at=expires, user_name=user_name)
    return url
