from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "maillage.access"
    label = "access"
    verbose_name = "Accès aux services numériques"
