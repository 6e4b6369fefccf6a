from django.urls import path

from . import views
from .labels import RideStatus

app_name = "transport"

urlpatterns = [
    path("", views.home, name="home"),
    path("demander/", views.request_create, name="request_create"),
    path("visites-a-domicile/", views.home_visits, name="home_visits"),
    path("demandes/<int:pk>/", views.request_detail, name="request_detail"),
    path("demandes/<int:pk>/annuler/", views.request_cancel, name="request_cancel"),
    path(
        "demandes/<int:pk>/effectue/",
        views.request_mark,
        {"status": RideStatus.DONE},
        name="request_done",
    ),
    path(
        "demandes/<int:pk>/absente/",
        views.request_mark,
        {"status": RideStatus.NO_SHOW},
        name="request_no_show",
    ),
    path("rendez-vous/<str:token>/", views.booking_ride, name="booking_ride"),
    path("mon-trajet/<str:token>/", views.rider_ride, name="rider_ride"),
    path("transporteur/<slug:slug>/", views.day_choose, name="day_choose"),
    path("transporteur/<slug:slug>/<str:date>/", views.day, name="day"),
    path("transporteur/<slug:slug>/<str:date>/planifier/", views.plan, name="plan"),
    path("planifications/<int:pk>/", views.run_status, name="run"),
    path("planifications/<int:pk>/confirmer/", views.confirm, name="confirm"),
    path("tournees/<int:pk>/feuille-de-route.pdf", views.driver_sheet, name="driver_sheet"),
]
