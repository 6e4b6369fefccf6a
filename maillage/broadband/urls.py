from django.urls import path

from . import views

app_name = "broadband"
urlpatterns = [
    path("", views.broadband_map, name="map"),
    path("export/communes.<str:fmt>", views.broadband_export, name="export"),
    path("communes/<str:insee>/", views.commune_history, name="commune"),
    path("intercommunalites/<str:siren>/", views.epci_history, name="epci"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/appliquer/", views.import_apply, name="import_apply"),
    path("modele-operateur-rip.csv", views.rip_template, name="rip_template"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/chantiers/import/", views.works_import, name="works_import"),
    path("programmes/<slug:slug>/chantiers/<int:pk>/", views.work_edit, name="work_edit"),
]
