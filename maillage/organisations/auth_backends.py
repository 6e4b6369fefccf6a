from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with an email address, whatever its case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)


EMAIL_MAX_LENGTH = 254  # RFC 5321


def lockout_username(request, credentials: dict | None) -> str:
    """The user name django-axes counts failures against: the email, lower-cased.

    Without it, "Jean@x.fr" and "jean@x.fr" would be counted apart and each get its own
    5 attempts. Enable with AXES_USERNAME_CALLABLE = this function's dotted path. Cut to an
    email's longest (254): axes stores it in 255 characters, and a 10 000-character name typed
    in the login form was a server error on PostgreSQL.
    """
    if credentials is not None:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return (value or "").strip().lower()[:EMAIL_MAX_LENGTH]
