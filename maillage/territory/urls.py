from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("", views.commune_search, name="commune_search"),
]
