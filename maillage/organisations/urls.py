from django.urls import path, re_path

from . import account_views, views

app_name = "organisations"
urlpatterns = [
    path("mon-espace/", views.my_space, name="my_space"),
    path(
        "mon-espace/double-authentification/",
        account_views.two_factor_home,
        name="two_factor",
    ),
    path(
        "mon-espace/double-authentification/activer/",
        account_views.two_factor_enable,
        name="two_factor_enable",
    ),
    path(
        "mon-espace/double-authentification/codes-de-secours/",
        account_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path(
        "mon-espace/double-authentification/desactiver/",
        account_views.two_factor_disable,
        name="two_factor_disable",
    ),
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
