from django.urls import path

from .views import (
    public,
    staff_agenda,
    staff_availability,
    staff_bookings,
    staff_feeds,
    staff_sessions,
)

app_name = "appointments"
urlpatterns = [
    path("", public.home, name="home"),
    path("motif/<int:pk>/", public.service_detail, name="service_detail"),
    path("motif/<int:pk>/retenir/", public.hold, name="hold"),
    path("atelier/<int:pk>/", public.session_register, name="session_register"),
    path("reservation/<str:token>/", public.book, name="book"),
    path("confirmation/<str:token>/", public.confirmation, name="confirmation"),
    path(
        "confirmation/<str:token>/rendez-vous.ics", public.booking_ics_download, name="booking_ics"
    ),
    path("gerer/<str:token>/", public.manage, name="manage"),
    path("gerer/<str:token>/deplacer/", public.manage_move, name="manage_move"),
    path("gerer/<str:token>/annuler/", public.manage_cancel, name="manage_cancel"),
    path("gerer/<str:token>/annuler/confirmer/", public.manage_cancel_do, name="manage_cancel_do"),
    path("calendrier/<str:token>.ics", public.feed, name="feed"),
    path("agenda/", staff_agenda.agenda, name="agenda"),
    path("agenda/nouveau/", staff_bookings.staff_book, name="staff_book"),
    path("agenda/motif/<int:pk>/forcer/", staff_bookings.staff_force, name="staff_force"),
    path("agenda/<int:pk>/", staff_bookings.staff_booking, name="staff_booking"),
    path(
        "agenda/<int:pk>/presence/",
        staff_bookings.staff_booking_attendance,
        name="staff_booking_attendance",
    ),
    path("agenda/<int:pk>/deplacer/", staff_bookings.staff_booking_move, name="staff_booking_move"),
    path("agenda/<int:pk>/annuler/", staff_bookings.staff_cancel, name="staff_cancel"),
    path(
        "agenda/<int:pk>/annuler/confirmer/", staff_bookings.staff_cancel_do, name="staff_cancel_do"
    ),
    path("agenda/atelier/<int:pk>/", staff_sessions.session_attendance, name="session_attendance"),
    path(
        "agenda/atelier/<int:pk>/presences/",
        staff_sessions.session_attendance_save,
        name="session_attendance_save",
    ),
    path("agenda/atelier/<int:pk>/inscrire/", staff_sessions.session_enrol, name="session_enrol"),
    path(
        "agenda/attente/<int:pk>/retirer/", staff_sessions.waitlist_remove, name="waitlist_remove"
    ),
    path(
        "agenda/attente/<int:pk>/retirer/confirmer/",
        staff_sessions.waitlist_remove_do,
        name="waitlist_remove_do",
    ),
    path(
        "agenda/atelier/<int:pk>/presences.pdf",
        staff_sessions.session_attendance_pdf,
        name="session_attendance_pdf",
    ),
    path("agenda/calendriers/", staff_feeds.feeds, name="feeds"),
    path("agenda/calendriers/agent/", staff_feeds.feed_create_agent, name="feed_create_agent"),
    path("agenda/calendriers/lieu/", staff_feeds.feed_create_place, name="feed_create_place"),
    path("agenda/calendriers/<int:pk>/revoquer/", staff_feeds.feed_revoke, name="feed_revoke"),
    path("agenda/disponibilites/", staff_availability.availability_list, name="availability_list"),
    path(
        "agenda/agents/<int:pk>/disponibilites/",
        staff_availability.agent_availability,
        name="agent_availability",
    ),
    path(
        "agenda/agents/<int:pk>/plages/ajouter/",
        staff_availability.agent_rule_add,
        name="agent_rule_add",
    ),
    path(
        "agenda/plages/<int:pk>/supprimer/",
        staff_availability.agent_rule_delete,
        name="agent_rule_delete",
    ),
    path(
        "agenda/agents/<int:pk>/absences/ajouter/",
        staff_availability.agent_absence_add,
        name="agent_absence_add",
    ),
    path(
        "agenda/absences/<int:pk>/supprimer/",
        staff_availability.agent_absence_delete,
        name="agent_absence_delete",
    ),
    path("indicateurs/", staff_agenda.indicators_view, name="indicators"),
]
