from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with an email address, whatever its case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials: dict | None) -> str:
    """The user name django-axes counts failures against: the email, lower-cased.

    Without it, "Jean@x.fr" and "jean@x.fr" would be counted apart and each get its own
    5 attempts. Enable with AXES_USERNAME_CALLABLE = this function's dotted path.
    """
    if credentials is not None:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return (value or "").strip().lower()
