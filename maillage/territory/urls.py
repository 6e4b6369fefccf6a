from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("", views.commune_search, name="commune_search"),
    path("recherche.json", views.commune_search_json, name="commune_search_json"),
    path("<str:insee_code>/", views.commune_detail, name="commune_detail"),
]
