from django.contrib import admin

from maillage.append_only import ReadOnlyAdmin

from . import models


@admin.register(models.Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "sheet", "active_requires_initial_training"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["steering_organisations"]
    raw_id_fields = ["sheet"]


class StatusChangeInline(admin.TabularInline):
    model = models.MemberStatusChange
    extra = 0
    raw_id_fields = ["user"]


class PresenceInline(admin.TabularInline):
    model = models.OnlinePresence
    extra = 0


@admin.register(models.Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "organisation", "status", "status_since", "erased_at"]
    list_filter = ["network", "status", "job"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["organisation", "user", "created_by", "communes"]
    readonly_fields = ["status", "status_since", "erased_at"]
    inlines = [StatusChangeInline, PresenceInline]


class AttendanceInline(admin.TabularInline):
    model = models.TrainingAttendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(models.TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "network", "starts_on", "ends_on"]
    list_filter = ["network", "kind"]
    date_hierarchy = "starts_on"
    inlines = [AttendanceInline]


class CountInline(admin.TabularInline):
    model = models.ReturnCount
    extra = 0


@admin.register(models.MonthlyReturn)
class MonthlyReturnAdmin(admin.ModelAdmin):
    list_display = ["month", "member", "follow_ups", "physical_meetings", "source"]
    list_filter = ["source", "member__network"]
    date_hierarchy = "month"
    raw_id_fields = ["member", "submitted_by"]
    inlines = [CountInline]


@admin.register(models.MeetingParticipant)
class MeetingParticipantAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "organisation", "presence"]
    raw_id_fields = ["meeting", "member", "organisation"]


@admin.register(models.MemberLog)
class MemberLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "member", "user"]
    list_filter = ["action"]
