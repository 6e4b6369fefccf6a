from django.urls import path, re_path

from . import views

app_name = "organisations"
urlpatterns = [
    path("mon-espace/", views.my_space, name="my_space"),
    path("organisations/", views.organisation_list, name="list"),
    re_path(r"^organisations/export\.(?P<fmt>csv|xlsx)$", views.organisation_export, name="export"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="detail"),
    path("organisations/<slug:slug>/modifier/", views.organisation_edit, name="edit"),
    path("organisations/<slug:slug>/membres/", views.organisation_members, name="members"),
    path(
        "organisations/<slug:slug>/membres/<int:pk>/retirer/",
        views.membership_delete,
        name="membership_delete",
    ),
]
