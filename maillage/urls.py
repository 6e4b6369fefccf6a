from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from maillage.api.api import api
from maillage.organisations import account_views

admin.site.site_header = "Maillage — administration"
admin.site.site_title = "Maillage"

urlpatterns = [
    path("", include("maillage.web.urls")),
    path("communes/", include("maillage.territory.urls")),
    path("", include("maillage.organisations.urls")),
    path("schema/", include("maillage.plan.urls")),
    path("lieux/", include("maillage.places.urls")),
    path("rendez-vous/", include("maillage.appointments.urls")),
    path("mediation/", include("maillage.mediation.urls")),
    path("transport/", include("maillage.transport.urls")),
    path("tres-haut-debit/", include("maillage.broadband.urls")),
    path("reseaux/", include("maillage.networks.urls")),
    path("acces/", include("maillage.access.urls")),
    path("connexion/", account_views.LoginView.as_view(), name="login"),
    path("connexion/code/", account_views.login_code, name="login_code"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", account_views.password_reset_request, name="password_reset"),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="organisations/password/reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="organisations/password/reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
