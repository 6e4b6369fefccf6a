from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "maillage.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"
