from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "maillage.web"
    label = "web"
    verbose_name = "Site"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from dsfr.models import DsfrConfig

        from .context_processors import forget_dsfr_site_config

        post_save.connect(forget_dsfr_site_config, sender=DsfrConfig)
        post_delete.connect(forget_dsfr_site_config, sender=DsfrConfig)
