from django.urls import path

from .views import coordination, own, public

app_name = "networks"
urlpatterns = [
    # Public
    path("", public.index, name="index"),
    path("<slug:slug>/annuaire/", public.directory, name="directory"),
    # A member's own space (their linked account)
    path("mon-espace/", own.my_space, name="my_space"),
    path("mon-espace/bilan/", own.my_return, name="my_return"),
    path("mon-espace/publication/", own.my_publication, name="my_publication"),
    # Coordination (and follow-up by the steering organisations); a meeting is the plan's,
    # found from its sheet's network
    path("reunions/<int:pk>/", coordination.meeting_detail, name="meeting_detail"),
    path("<slug:slug>/", coordination.home, name="home"),
    path("<slug:slug>/reglages/", coordination.network_settings, name="network_settings"),
    path("<slug:slug>/membres/", coordination.member_list, name="member_list"),
    path("<slug:slug>/membres/nouveau/", coordination.member_create, name="member_create"),
    path("<slug:slug>/membres/<int:pk>/", coordination.member_detail, name="member_detail"),
    path("<slug:slug>/membres/<int:pk>/modifier/", coordination.member_edit, name="member_edit"),
    path("<slug:slug>/membres/<int:pk>/statut/", coordination.member_status, name="member_status"),
    path(
        "<slug:slug>/membres/<int:pk>/statut/annuler/",
        coordination.member_status_undo,
        name="member_status_undo",
    ),
    path(
        "<slug:slug>/membres/<int:pk>/publication/",
        coordination.member_publication,
        name="member_publication",
    ),
    path("<slug:slug>/membres/<int:pk>/bilan/", coordination.member_return, name="member_return"),
    path("<slug:slug>/membres/<int:pk>/effacer/", coordination.member_erase, name="member_erase"),
    path("<slug:slug>/formations/", coordination.training_list, name="training_list"),
    path("<slug:slug>/formations/nouvelle/", coordination.training_create, name="training_create"),
    path("<slug:slug>/formations/<int:pk>/", coordination.training_detail, name="training_detail"),
    path(
        "<slug:slug>/formations/<int:pk>/modifier/",
        coordination.training_edit,
        name="training_edit",
    ),
    path("<slug:slug>/bilans/", coordination.return_list, name="return_list"),
    path("<slug:slug>/bilans/importer/", coordination.return_import, name="return_import"),
    path("<slug:slug>/bilans/modele.csv", coordination.return_template, name="return_template"),
    path("<slug:slug>/bilans/relancer/", coordination.reminders_send, name="reminders_send"),
    path("<slug:slug>/reunions/", coordination.meeting_list, name="meeting_list"),
    path("<slug:slug>/rapport-<int:year>.pdf", coordination.report_pdf, name="report_pdf"),
]
