from django.contrib import admin

from maillage.append_only import ReadOnlyAdmin, ReadOnlyInline

from . import models


class RuleInline(admin.TabularInline):
    model = models.WeeklyRule
    extra = 0


@admin.register(models.Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "user", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name"]
    inlines = [RuleInline]


@admin.register(models.Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place", "organisation", "is_active"]
    list_filter = ["kind"]
    inlines = [RuleInline]


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "bookable_by", "duration_minutes", "is_active"]
    list_filter = ["kind", "bookable_by", "organisation"]
    filter_horizontal = ["agents", "places"]
    search_fields = ["name"]


@admin.register(models.Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["agent", "resource", "starts_at", "ends_at", "reason"]


@admin.register(models.WorkshopSeries)
class WorkshopSeriesAdmin(admin.ModelAdmin):
    list_display = ["service", "place", "weekday", "start_time", "capacity", "starts_on", "ends_on"]


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["service", "place", "starts_at", "capacity", "status"]
    list_filter = ["status"]


class BookingEventInline(ReadOnlyInline):
    model = models.BookingEvent
    fields = ["at", "action", "from_status", "to_status", "user", "note"]


@admin.register(models.Booking)
class BookingAdmin(admin.ModelAdmin):
    inlines = [BookingEventInline]
    list_display = ["service", "starts_at", "place", "agent", "status", "attendance", "forced"]
    list_filter = ["status", "attendance", "forced"]
    # Status, times and parties change only through the services (locks, occupations, log).
    readonly_fields = [
        "uid",
        "service",
        "place",
        "agent",
        "resource",
        "session",
        "starts_at",
        "ends_at",
        "status",
        "hold_expires_at",
        "forced",
        "sequence",
        "visio_room",
        "anonymised_at",
    ]


@admin.register(models.MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "subject"]


@admin.register(models.MessageLog)
class MessageLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "booking", "kind", "channel", "status", "attempts"]
    list_filter = ["status", "channel", "kind"]


@admin.register(models.CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["kind", "agent", "place", "created_by", "created_at", "revoked_at"]
    exclude = ["token"]
