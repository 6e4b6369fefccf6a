from django.contrib import admin

from maillage.append_only import ReadOnlyInline

from .models import Driver, PlanningRun, RideRequest, RideRequestEvent, Shift, Tour, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["label", "operator", "seats", "wheelchair_places", "is_active"]
    list_filter = ["operator", "is_active"]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["name", "operator", "phone", "is_active"]
    list_filter = ["operator"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "start", "end", "driver", "vehicle"]
    list_filter = ["vehicle__operator"]
    date_hierarchy = "date"


class EventInline(ReadOnlyInline):
    model = RideRequestEvent
    fields = ["at", "action", "from_status", "to_status", "user", "note"]


@admin.register(RideRequest)
class RideRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "date", "name", "commune", "place", "status", "operator"]
    list_filter = ["status", "operator", "wheelchair"]
    date_hierarchy = "date"
    inlines = [EventInline]
    raw_id_fields = ["booking", "commune", "place"]


@admin.register(PlanningRun)
class PlanningRunAdmin(admin.ModelAdmin):
    list_display = ["date", "half_day", "kind", "status", "progress", "operator"]
    list_filter = ["status", "operator"]


admin.site.register(Tour)
