from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.find_help, name="find_help"),
    path("<int:pk>/", views.place_detail, name="place_detail"),
    path("<int:pk>/modifier/", views.place_edit, name="place_edit"),
    path("communes.geojson", views.communes_geojson, name="communes_geojson"),
    path("donnees/lieux.<str:fmt>", views.open_data_export, name="open_data_export"),
    path("etre-rappele/", views.help_request_create, name="help_request_create"),
    path("etre-rappele/merci/", views.help_request_sent, name="help_request_sent"),
    path("gestion/", views.place_manage_list, name="place_manage_list"),
    path("gestion/nouveau/", views.place_create, name="place_create"),
    path("demandes/", views.help_request_list, name="help_request_list"),
    path("demandes/<int:pk>/", views.help_request_detail, name="help_request_detail"),
]
