from django.contrib import admin

from maillage.append_only import ReadOnlyInline

from .models import HelpRequest, HelpRequestEvent, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune_name", "organisation", "opened_on", "closed_on"]
    list_filter = ["kind", "is_demo", "accepts_help_requests"]
    search_fields = ["name", "commune_name", "standard_id", "pivot"]
    autocomplete_fields = ["organisation", "commune", "visio_operators"]


class HelpRequestEventInline(ReadOnlyInline):
    model = HelpRequestEvent
    fields = ["at", "user", "from_status", "to_status", "note"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "need", "status", "commune", "place"]
    list_filter = ["status", "need"]
    raw_id_fields = ["commune", "place", "assigned_to"]
    inlines = [HelpRequestEventInline]
