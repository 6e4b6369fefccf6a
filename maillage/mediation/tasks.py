"""Background tasks of the mediation app (django-tasks; run by `maillage worker`)."""

from django_tasks import task


@task()
def erase_inactive_beneficiaries(months: int | None = None) -> int:
    """Erase the personal data of beneficiaries inactive for `months` (24 by default,
    setting MAILLAGE_MEDIATION_RETENTION_MONTHS); statistics are kept. Returns the count."""
    from .services import erase_inactive

    return erase_inactive(months)
