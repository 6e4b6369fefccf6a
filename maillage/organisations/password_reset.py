"""Password reset by email, without telling whether an account exists.

The request only enqueues a task carrying the typed address, whatever it is: the task, in the
worker, looks the account up and sends the link if there is one. The answer and the work done
while the person waits are thus the same for a known and an unknown address (no timing
difference from the SMTP exchange either). The link is Django's one-time token: it expires
after `PASSWORD_RESET_TIMEOUT` and dies as soon as the password changes or the person logs in.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django_tasks import task


def enqueue_reset_email(*, email: str) -> None:
    transaction.on_commit(lambda: send_reset_email.enqueue(email))


@task()
def send_reset_email(email: str) -> int:
    """Send the reset link to the active accounts of `email` (none, usually one)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.MAILLAGE_SITE_URL)
    users = list(form.get_users(email))
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="organisations/password/reset_subject.txt",
        email_template_name="organisations/password/reset_email.txt",
        extra_email_context={
            "site_url": settings.MAILLAGE_SITE_URL.rstrip("/"),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )
    return len(users)


def unlock_after_reset(*, request, user) -> None:
    """A new password ends a lockout of the login for this account (django-axes)."""
    from axes.utils import reset

    reset(username=user.email)
