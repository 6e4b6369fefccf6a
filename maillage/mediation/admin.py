from django.contrib import admin

from maillage.append_only import ReadOnlyAdmin

from . import models


@admin.register(models.Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    list_display = ["code", "organisation", "commune", "age_band", "situation", "erased_at"]
    list_filter = ["organisation", "situation", "age_band"]
    search_fields = ["code"]
    raw_id_fields = ["commune", "merged_into", "created_by"]
    readonly_fields = ["code", "age_band", "merged_into", "merged_at", "erased_at"]


class ParticipationInline(admin.TabularInline):
    model = models.Participation
    raw_id_fields = ["beneficiary"]
    extra = 0


@admin.register(models.Accompaniment)
class AccompanimentAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "organisation", "location_kind", "place"]
    list_filter = ["kind", "location_kind", "organisation"]
    date_hierarchy = "date"
    raw_id_fields = ["place", "commune", "mediator", "created_by"]
    inlines = [ParticipationInline]


@admin.register(models.Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "beneficiary", "organisation"]
    list_filter = ["kind"]
    raw_id_fields = ["beneficiary", "accompaniment", "created_by"]


@admin.register(models.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "kind", "beneficiary", "amount", "paid_on"]
    raw_id_fields = ["beneficiary", "created_by"]


@admin.register(models.BeneficiaryLog)
class BeneficiaryLogAdmin(ReadOnlyAdmin):
    """The RGPD access log: read, never added to, changed nor deleted by hand."""

    list_display = ["at", "action", "beneficiary", "user"]
    list_filter = ["action"]
