from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WebConfig(AppConfig):
    name = "maillage.web"
    label = "web"
    verbose_name = "Site"

    def ready(self) -> None:
        from dsfr.models import DsfrConfig

        from .site_config import forget_dsfr_configs

        for signal in (post_save, post_delete):
            signal.connect(forget_dsfr_configs, sender=DsfrConfig, dispatch_uid="web-dsfr-config")
