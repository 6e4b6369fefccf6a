"""The admin: source notes of imports (read only: imports go through the import service),
counts for inspection, the programme with its phases and works."""

from django.contrib import admin

from . import models


@admin.register(models.FigureImport)
class FigureImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "layout", "data_date", "status", "is_demo", "created_at"]
    list_filter = ["status", "layout", "is_demo"]
    search_fields = ["filename", "url", "note"]
    readonly_fields = [
        field.name for field in models.FigureImport._meta.fields if field.name not in ("note",)
    ]
    exclude = ["records"]

    def has_add_permission(self, request) -> bool:
        return False  # an import is read and applied by the service (page or command)


@admin.register(models.PremisesCount)
class PremisesCountAdmin(admin.ModelAdmin):
    list_display = ["commune", "quarter_end", "dataset", "category", "value", "source"]
    list_filter = ["dataset", "category", "quarter_end"]
    search_fields = ["commune__name", "commune__insee_code"]
    list_select_related = ["commune", "source"]
    readonly_fields = ["commune", "quarter_end", "dataset", "category", "value", "source"]

    def has_add_permission(self, request) -> bool:
        return False


class PhaseInline(admin.StackedInline):
    model = models.Phase
    extra = 0
    filter_horizontal = ["epcis"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["sheet", "budget_line"]


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "sheet", "owner", "start_year", "end_year"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    raw_id_fields = ["sheet"]
    inlines = [PhaseInline]


@admin.register(models.Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = [
        "commune",
        "phase",
        "technology",
        "planned_premises",
        "planned_quarter",
        "done_premises",
        "done_quarter",
    ]
    list_filter = ["phase__programme", "phase", "technology"]
    search_fields = ["commune__name", "commune__insee_code"]
    list_select_related = ["commune", "phase"]
    raw_id_fields = ["commune"]
