"""Append-only records: the logs that audit who did what (RGPD access log, status transitions,
the plan's history).

Such a row is written once and never changed or deleted by hand:

* `AppendOnlyModel` refuses `save()` on an existing row and `delete()`; its default manager's
  `update()` and `delete()` refuse too. The one sanctioned change is `erase(*fields)`, which
  blanks personal data when its retention period ends (RGPD). Rows still go with their parent
  (a cascade, or a user set to NULL): Django's deletion collector uses the base manager.
* `ReadOnlyAdmin` and `ReadOnlyInline` show them in the admin, with no add, change nor delete.

Test data and migrations that must rewrite history use the base manager (`_base_manager`).
"""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """An attempt to change or delete a logged row."""


def _refuse(model) -> None:
    raise AppendOnlyError(
        f"{model._meta.verbose_name} : journal en ajout seul, une ligne écrite ne se modifie "
        "ni ne se supprime."
    )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model)

    def delete(self):
        _refuse(self.model)

    def erase(self, *fields: str) -> int:
        """Blank `fields` (personal data past its retention): the only change allowed."""
        blanks = {}
        for name in fields:
            field = self.model._meta.get_field(name)
            if field.null:
                blanks[name] = None
            elif field.get_internal_type() == "JSONField":
                blanks[name] = {}
            else:
                blanks[name] = ""
        return super().update(**blanks)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(type(self))


class PersonalDataLog(AppendOnlyModel):
    """Who read, exported, changed or erased a person's record, when, and with what detail
    (RGPD access log): the fields every such log shares; the concrete log adds the record it
    is about and its own list of actions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("le", default=timezone.now)
    detail = models.JSONField("détail", default=dict, blank=True)

    class Meta:
        abstract = True
        verbose_name = "journal d'accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-id"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log in the admin: listed and shown, never added, changed nor deleted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """A log shown under its parent (a ride's or a request's events), read-only."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
