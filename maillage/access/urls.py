from django.urls import path

from . import siting_views, views

app_name = "access"
urlpatterns = [
    path("", views.access_map, name="map"),
    path("export/communes.<str:fmt>", views.access_export, name="export"),
    path("communes/<str:insee>/", views.commune_access, name="commune"),
    path("implantation/", siting_views.siting_list, name="siting_list"),
    path("implantation/nouveau/", siting_views.siting_create, name="siting_create"),
    path("implantation/comparer/", siting_views.siting_compare, name="siting_compare"),
    path("implantation/modele.csv", siting_views.siting_template, name="siting_template"),
    path("implantation/<int:pk>/", siting_views.siting_detail, name="siting_detail"),
    path("implantation/<int:pk>/pdf/", siting_views.siting_pdf, name="siting_pdf"),
    path("implantation/<int:pk>/supprimer/", siting_views.siting_delete, name="siting_delete"),
]
