from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "maillage.transport"
    label = "transport"
    verbose_name = "Transport à la demande"
