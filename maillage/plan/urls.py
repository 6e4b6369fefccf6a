from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("<slug:slug>/rapport.pdf", views.plan_report, name="plan_report"),
    path(
        "<slug:slug>/export/<str:what>.<str:fmt>",
        views.plan_export,
        name="plan_export",
    ),
    path("<slug:slug>/mise-a-jour/", views.bulk_update_upload, name="bulk_update_upload"),
    path("<slug:slug>/series/", views.series_upload, name="series_upload"),
    path(
        "<slug:slug>/mise-a-jour/<int:pk>/",
        views.bulk_update_preview,
        name="bulk_update_preview",
    ),
    path("<slug:slug>/instances/", views.meeting_list, name="meeting_list"),
    path("<slug:slug>/instances.ics", views.meetings_ics, name="meetings_ics"),
    path("<slug:slug>/instances/nouvelle/", views.meeting_edit, name="meeting_create"),
    path("<slug:slug>/instances/planifier/", views.meetings_generate, name="meetings_generate"),
    path("<slug:slug>/instances/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<slug:slug>/instances/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/instances/<int:pk>/supprimer/", views.meeting_delete, name="meeting_delete"),
    path("<slug:slug>/mesures/<int:pk>/corriger/", views.measurement_edit, name="measurement_edit"),
    path(
        "<slug:slug>/mesures/<int:pk>/supprimer/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("<slug:slug>/fiches/<str:ref>/", views.sheet_detail, name="sheet_detail"),
    path("<slug:slug>/fiches/<str:ref>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("<slug:slug>/fiches/<str:ref>/historique/", views.sheet_history, name="sheet_history"),
    path("<slug:slug>/fiches/<str:ref>/fiche.pdf", views.sheet_pdf, name="sheet_pdf"),
    path(
        "<slug:slug>/fiches/<str:ref>/indicateurs/<int:pk>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "<slug:slug>/fiches/<str:ref>/indicateurs/<int:pk>/recalculer/",
        views.indicator_recompute,
        name="indicator_recompute",
    ),
    path(
        "<slug:slug>/fiches/<str:ref>/indicateurs/<int:pk>/source/",
        views.indicator_bind,
        name="indicator_bind",
    ),
]
