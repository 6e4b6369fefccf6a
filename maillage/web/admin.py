"""The DSFR settings' admin (django-dsfr's), with Maillage's URL rule on its addresses.

django-dsfr's models keep plain `URLField`s (the notice's link, the newsletter, social
media): their admin forms get the one http(s) validator, as every Maillage model does.
"""

from django.contrib import admin
from django.db import models
from dsfr.admin import DsfrConfigAdmin, DsfrSocialMediaInline
from dsfr.models import DsfrConfig

from .validators import WebURLFormField

WEB_URL_OVERRIDES = {models.URLField: {"form_class": WebURLFormField}}


class WebSocialMediaInline(DsfrSocialMediaInline):
    formfield_overrides = WEB_URL_OVERRIDES


class WebDsfrConfigAdmin(DsfrConfigAdmin):
    formfield_overrides = WEB_URL_OVERRIDES
    inlines = [
        WebSocialMediaInline if inline is DsfrSocialMediaInline else inline
        for inline in DsfrConfigAdmin.inlines
    ]


admin.site.unregister(DsfrConfig)
admin.site.register(DsfrConfig, WebDsfrConfigAdmin)
