from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OrganisationsConfig(AppConfig):
    default = True
    name = "maillage.organisations"
    label = "organisations"
    verbose_name = "Organisations et personnes"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site entered through Maillage's login (password, then code)."""

    default = False
    default_site = "maillage.organisations.two_factor.AdminSite"
