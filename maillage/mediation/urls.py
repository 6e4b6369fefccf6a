from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.home, name="home"),
    path("accompagnements/", views.accompaniment_list, name="accompaniment_list"),
    path("accompagnements/nouveau/", views.accompaniment_create, name="accompaniment_create"),
    path("accompagnements/<int:pk>/", views.accompaniment_detail, name="accompaniment_detail"),
    path(
        "accompagnements/<int:pk>/corriger/",
        views.accompaniment_edit,
        name="accompaniment_edit",
    ),
    path(
        "accompagnements/<int:pk>/supprimer/",
        views.accompaniment_delete,
        name="accompaniment_delete",
    ),
    path(
        "depuis-rendez-vous/<str:source>/<int:pk>/",
        views.from_attendance,
        name="from_attendance",
    ),
    path("beneficiaires/", views.beneficiary_list, name="beneficiary_list"),
    path("beneficiaires/nouveau/", views.beneficiary_create, name="beneficiary_create"),
    path("beneficiaires/doublons/", views.duplicates, name="duplicates"),
    path("beneficiaires/<str:code>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("beneficiaires/<str:code>/modifier/", views.beneficiary_edit, name="beneficiary_edit"),
    path("beneficiaires/<str:code>/fusionner/", views.beneficiary_merge, name="beneficiary_merge"),
    path("beneficiaires/<str:code>/effacer/", views.beneficiary_erase, name="beneficiary_erase"),
    path(
        "beneficiaires/<str:code>/donnees.json",
        views.beneficiary_export,
        name="beneficiary_export",
    ),
    path("beneficiaires/<str:code>/suivi/", views.outcome_create, name="outcome_create"),
    path(
        "beneficiaires/<str:code>/adhesion/",
        views.subscription_create,
        name="subscription_create",
    ),
    path("recus/<int:pk>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("statistiques/", views.stats, name="stats"),
    path("statistiques/schema/<slug:slug>/", views.public_stats, name="public_stats"),
]
