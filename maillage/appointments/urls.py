from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.home, name="home"),
    path("motif/<int:pk>/", views.service_detail, name="service_detail"),
    path("motif/<int:pk>/retenir/", views.hold, name="hold"),
    path("atelier/<int:pk>/", views.session_register, name="session_register"),
    path("reservation/<str:token>/", views.book, name="book"),
    path("confirmation/<str:token>/", views.confirmation, name="confirmation"),
    path(
        "confirmation/<str:token>/rendez-vous.ics", views.booking_ics_download, name="booking_ics"
    ),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("calendrier/<str:token>.ics", views.feed, name="feed"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/nouveau/", views.staff_book, name="staff_book"),
    path("agenda/motif/<int:pk>/forcer/", views.staff_force, name="staff_force"),
    path("agenda/<int:pk>/", views.staff_booking, name="staff_booking"),
    path("agenda/atelier/<int:pk>/", views.session_attendance, name="session_attendance"),
    path(
        "agenda/atelier/<int:pk>/presences.pdf",
        views.session_attendance_pdf,
        name="session_attendance_pdf",
    ),
    path("agenda/calendriers/", views.feeds, name="feeds"),
    path("indicateurs/", views.indicators_view, name="indicators"),
]
