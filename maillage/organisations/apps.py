from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "maillage.organisations"
    label = "organisations"
    verbose_name = "Organisations et personnes"
