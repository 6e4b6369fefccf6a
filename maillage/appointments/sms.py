"""Sending SMS through a small provider interface.

`send_sms(to, text)` uses the backend named by the setting SMS_BACKEND:

* "console" prints the message (development), "locmem" keeps it in `outbox` (tests);
* "brevo" is the Brevo (ex-Sendinblue) transactional SMS API, a common French provider:
  `POST {SMS_API_URL or https://api.brevo.com}/v3/transactionalSMS/sms` with the header
  `api-key: {SMS_API_KEY}` and the JSON body
  `{"sender": SMS_SENDER, "recipient": "33612345678", "content": "...",
  "type": "transactional"}`; success is HTTP 201 with `{"reference": ..., "messageId": ...}`.
  Sender: 11 alphanumeric characters at most; recipients in international format without +.
* any dotted path to a class with a `send(to, text) -> str` method.

A network error, a timeout or an HTTP 5xx/429 raises `SmsTemporaryError` (the task retries
with back-off); a 4xx raises `SmsError` (not retried: the number or the key is wrong).
"""

import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    pass


class SmsTemporaryError(SmsError):
    pass


@dataclass
class SmsMessage:
    to: str
    text: str


outbox: list[SmsMessage] = []


def normalise_number(phone: str) -> str:
    """06 12 34 56 78 / +33 6 12… → 33612345678 (French numbers; others kept digits-only)."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return digits
    if len(digits) == 10 and digits.startswith("0"):
        return "33" + digits[1:]
    return digits


class ConsoleBackend:
    def send(self, to: str, text: str) -> str:
        sys.stdout.write(f"SMS à {to} : {text}\n")
        return "console"


class LocmemBackend:
    def send(self, to: str, text: str) -> str:
        outbox.append(SmsMessage(to, text))
        return f"locmem-{len(outbox)}"


class BrevoBackend:
    """The Brevo transactional SMS API (see the module docstring)."""

    default_url = "https://api.brevo.com"
    timeout = 10

    def __init__(self, url: str = "", api_key: str = "", sender: str = "") -> None:
        self.url = (url or settings.SMS_API_URL or self.default_url).rstrip("/")
        self.api_key = api_key or settings.SMS_API_KEY
        self.sender = (sender or settings.SMS_SENDER)[:11]

    def send(self, to: str, text: str) -> str:
        body = json.dumps(
            {
                "sender": self.sender,
                "recipient": normalise_number(to),
                "content": text,
                "type": "transactional",
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/v3/transactionalSMS/sms",
            data=body,
            method="POST",
            headers={
                "api-key": self.api_key,
                "content-type": "application/json",
                "accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:300]
            if error.code >= 500 or error.code == 429:
                raise SmsTemporaryError(f"HTTP {error.code} : {detail}") from error
            raise SmsError(f"HTTP {error.code} : {detail}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsTemporaryError(str(error)) from error
        return str(payload.get("messageId") or payload.get("reference") or "")


BACKENDS = {"console": ConsoleBackend, "locmem": LocmemBackend, "brevo": BrevoBackend}


def backend():
    name = settings.SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()


def send_sms(to: str, text: str) -> str:
    """Send one SMS; returns the provider's reference."""
    return backend().send(to, text)
