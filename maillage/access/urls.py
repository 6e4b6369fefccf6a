from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.access_map, name="map"),
    path("export/communes.<str:fmt>", views.access_export, name="export"),
    path("communes/<str:insee>/", views.commune_access, name="commune"),
]
