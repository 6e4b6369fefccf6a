from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from maillage.api.api import api

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
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
