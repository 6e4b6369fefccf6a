from django.contrib import admin
from django.db.models import Count

from .models import Commune, Departement, Epci
from .names import normalise


def _contour_summary(obj) -> str:
    if not obj.contour:
        return "aucun"
    geometry_type = obj.contour.get("type", "?")
    rings = obj.contour.get("coordinates") or []
    if geometry_type == "MultiPolygon":
        return f"MultiPolygon, {len(rings)} parties"
    return geometry_type


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    exclude = ["contour"]
    readonly_fields = ["contour_summary"]

    @admin.display(description="contour")
    def contour_summary(self, obj) -> str:
        return _contour_summary(obj)


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "departement", "commune_count"]
    list_filter = ["departement"]
    search_fields = ["name", "siren"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_commune_count=Count("communes"))

    @admin.display(description="communes", ordering="_commune_count")
    def commune_count(self, obj) -> int:
        return obj._commune_count


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postcodes", "population", "epci", "departement"]
    list_filter = ["epci", "departement"]
    list_select_related = ["epci", "departement"]
    search_fields = ["name", "search_key", "insee_code", "postcodes"]
    ordering = ["search_key"]
    exclude = ["contour"]
    readonly_fields = ["search_key", "contour_summary"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("contour")

    def get_search_results(self, request, queryset, search_term):
        """Also match the normalised name, so "st severin" finds Saint-Séverin here too."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if key := normalise(search_term):
            queryset |= self.get_queryset(request).filter(search_key__contains=key)
        return queryset, may_have_duplicates

    @admin.display(description="contour")
    def contour_summary(self, obj) -> str:
        return _contour_summary(obj)
