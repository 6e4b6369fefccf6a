from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class SheetActorInline(admin.TabularInline):
    model = models.SheetActor
    extra = 0
    autocomplete_fields = ["organisation"]


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = models.BudgetLine
    extra = 0


class FundingInline(admin.TabularInline):
    model = models.Funding
    extra = 0
    autocomplete_fields = ["funder"]


class KeyFigureInline(admin.TabularInline):
    model = models.KeyFigure
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0
    fields = ["label", "unit", "direction", "measurement_method", "weight", "confidential"]
    show_change_link = True


class TargetInline(admin.TabularInline):
    model = models.Target
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "period_start", "period_end", "status"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(models.ActionSheet)
class ActionSheetAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "plan", "theme", "status", "confidential"]
    list_filter = ["plan", "status", "theme", "confidential", "physical", "digital"]
    search_fields = ["ref", "action", "sub_action", "description"]
    filter_horizontal = ["epcis", "communes"]
    inlines = [
        SheetActorInline,
        IndicatorInline,
        MilestoneInline,
        BudgetLineInline,
        FundingInline,
        KeyFigureInline,
    ]


@admin.register(models.Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["label", "sheet", "unit", "direction", "measurement_method", "confidential"]
    list_filter = ["sheet__plan", "direction", "measurement_method", "confidential"]
    search_fields = ["label", "sheet__ref"]
    list_select_related = ["sheet"]
    inlines = [TargetInline]


@admin.register(models.Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "kind", "value", "value_text", "date", "year"]
    list_filter = ["kind"]
    list_select_related = ["indicator"]


@admin.register(models.Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "date", "value", "source", "author"]
    list_filter = ["source", "indicator__sheet__plan"]
    date_hierarchy = "date"
    list_select_related = ["indicator", "author"]
    raw_id_fields = ["indicator", "author"]


@admin.register(models.BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "sheet", "amount", "periodicity", "year", "kind", "nature"]
    list_filter = ["periodicity", "kind", "nature"]


@admin.register(models.SheetActor)
class SheetActorAdmin(admin.ModelAdmin):
    list_display = ["name", "sheet", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["name", "sheet__ref"]
    autocomplete_fields = ["organisation"]


@admin.register(models.Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ["funder_name", "sheet", "amount", "funder"]
    autocomplete_fields = ["funder"]


admin.site.register(models.Milestone)
admin.site.register(models.KeyFigure)


@admin.register(models.SheetStatusChange)
class SheetStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["sheet", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "body", "starts_at", "location"]
    list_filter = ["plan", "body"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["sheets"]


@admin.register(models.BulkUpdate)
class BulkUpdateAdmin(admin.ModelAdmin):
    list_display = ["filename", "plan", "uploaded_by", "created", "applied_at"]
    readonly_fields = ["changes", "errors"]
