"""NUL bytes are refused at the door, before any view, form or query sees them.

PostgreSQL cannot store the character U+0000 in text: a query carrying one fails with a server
error ("A string literal cannot contain NUL"). No address, parameter or field of Maillage
needs it, so a request carrying one is answered here:

- in the path: 404 (no page has such an address);
- in the query string, a form field or a JSON body (raw or as the escape `\\u0000`): 400,
  or for the API its 422 (`{"detail": [{"loc": …, "msg": …}]}`), the status its endpoints
  document for invalid input.

Uploaded files' contents are not looked at: a spreadsheet is binary and holds NUL bytes (the
importers refuse NUL in the text they read, `maillage/uploads.py`). Django's form parser already
drops an uploaded file's name that carries one.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"
API_PREFIX = "/api/"
MESSAGE = "Requête refusée : elle contient un caractère nul (octet 0), interdit ici."
NOT_FOUND = "Page introuvable : l'adresse contient un caractère nul (octet 0)."


def _first_nul_field(request: HttpRequest) -> tuple[str, str] | None:
    """Where the request carries a NUL (`("query", name)`, `("body", name)`), else None."""
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return "query", key.replace(NUL, "")
    content_type = request.content_type or ""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return None
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body or b"\\u0000" in body:
            return "body", ""
        return None
    if content_type == "multipart/form-data" and request.path.startswith(API_PREFIX):
        # The API takes files, not text fields, this way (the series import); parsing here
        # would spend the stream django-ninja reads after us.
        return None
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in value for value in values):
                return "body", key.replace(NUL, "")
    return None


class RefuseNulBytesMiddleware:
    """Answer 404/400 (API: 404/422) to a request carrying a NUL byte anywhere it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        if NUL in request.path:
            if api:
                return JsonResponse({"detail": NOT_FOUND}, status=404)
            return _text(NOT_FOUND, 404)
        where = _first_nul_field(request)
        if where is None:
            return self.get_response(request)
        if api:
            error = {"type": "value_error", "loc": [where[0], where[1]], "msg": MESSAGE}
            return JsonResponse({"detail": [error]}, status=422)
        return _text(MESSAGE, 400)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
