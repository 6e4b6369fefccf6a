"""The admin: computations of access times with their status and progress (read only: a
computation is made by `maillage compute-access` or the action below, through the service)."""

from django.contrib import admin, messages

from . import models
from .runs import access_run_request


@admin.register(models.AccessRun)
class AccessRunAdmin(admin.ModelAdmin):
    list_display = ["computed_on", "status", "progress", "step", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in models.AccessRun._meta.fields]
    actions = ["compute_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Recalculer les temps d'accès (mêmes types d'aide, en tâche de fond)")
    def compute_again(self, request, queryset) -> None:
        for run in queryset:
            new = access_run_request(kinds=run.kinds, by=request.user)
            self.message_user(
                request, f"Calcul n° {new.pk} demandé ; suivez son avancement ici.", messages.INFO
            )
