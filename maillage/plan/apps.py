from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "maillage.plan"
    label = "plan"
    verbose_name = "Schéma et fiches actions"
