"""The error answers of the API, documented on every endpoint that gives them.

Every error has one shape, `{"detail": …}`: a sentence (400, 401, 403, 404), or for invalid
input (422) the list of what is wrong and where (`loc`: body, path or query, then the field).
Numeric identifiers in paths and queries are bounded so that a huge number is a 422, never a
database error.
"""

from typing import Annotated

from ninja import Path, Schema
from ninja.errors import ValidationError as InvalidInput

MAX_ID = 2_147_483_647

#: A database identifier in a path: a positive 32-bit integer.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InvalidInputOut(Schema):
    detail: list[FieldErrorOut]


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The `response=` entries of the error statuses an endpoint can answer."""
    return {code: InvalidInputOut if code == 422 else ErrorOut for code in codes}


def invalid(field_messages: dict[str, list[str]], where: str = "body") -> InvalidInput:
    """A 422 in the API's shape from a Django `ValidationError.message_dict`."""
    return InvalidInput(
        [
            {"type": "value_error", "loc": [where, field], "msg": message}
            for field, messages in field_messages.items()
            for message in messages
        ]
    )
