from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("mon-espace/", views.my_space, name="my_space"),
]
