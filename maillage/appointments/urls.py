from django.urls import path

from . import availability_views, views

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
    path("gerer/<str:token>/annuler/", views.manage_cancel, name="manage_cancel"),
    path("gerer/<str:token>/annuler/confirmer/", views.manage_cancel_do, name="manage_cancel_do"),
    path("calendrier/<str:token>.ics", views.feed, name="feed"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/nouveau/", views.staff_book, name="staff_book"),
    path("agenda/motif/<int:pk>/forcer/", views.staff_force, name="staff_force"),
    path("agenda/<int:pk>/", views.staff_booking, name="staff_booking"),
    path("agenda/<int:pk>/annuler/", views.staff_cancel, name="staff_cancel"),
    path("agenda/<int:pk>/annuler/confirmer/", views.staff_cancel_do, name="staff_cancel_do"),
    path("agenda/atelier/<int:pk>/", views.session_attendance, name="session_attendance"),
    path(
        "agenda/atelier/<int:pk>/presences.pdf",
        views.session_attendance_pdf,
        name="session_attendance_pdf",
    ),
    path("agenda/calendriers/", views.feeds, name="feeds"),
    path("agenda/disponibilites/", availability_views.availability_list, name="availability_list"),
    path(
        "agenda/agents/<int:pk>/disponibilites/",
        availability_views.agent_availability,
        name="agent_availability",
    ),
    path(
        "agenda/agents/<int:pk>/plages/ajouter/",
        availability_views.agent_rule_add,
        name="agent_rule_add",
    ),
    path(
        "agenda/plages/<int:pk>/supprimer/",
        availability_views.agent_rule_delete,
        name="agent_rule_delete",
    ),
    path(
        "agenda/agents/<int:pk>/absences/ajouter/",
        availability_views.agent_absence_add,
        name="agent_absence_add",
    ),
    path(
        "agenda/absences/<int:pk>/supprimer/",
        availability_views.agent_absence_delete,
        name="agent_absence_delete",
    ),
    path("indicateurs/", views.indicators_view, name="indicators"),
]
