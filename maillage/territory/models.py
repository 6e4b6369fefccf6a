"""Départements, EPCIs (intercommunalités) and communes, keyed by their official codes.

Geography is kept in plain columns (coordinates as floats, contours as GeoJSON geometries in a
JSONField) so that the app runs unchanged on SQLite and PostgreSQL, without SpatiaLite or
PostGIS. Distance computations belong to services, not to the database.
"""

from django.db import models
from django.urls import reverse

from .names import normalise


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    contour = models.JSONField(
        "contour", null=True, blank=True, help_text="Géométrie GeoJSON (Polygon ou MultiPolygon)."
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="epcis",
        help_text="Département de la première importation qui l'a créé.",
    )

    class Meta:
        verbose_name = "intercommunalité (EPCI)"
        verbose_name_plural = "intercommunalités (EPCI)"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=200)
    search_key = models.CharField(
        "clé de recherche",
        max_length=200,
        db_index=True,
        editable=False,
        help_text="Nom normalisé (sans accents, minuscules, « St » → « saint ») pour la recherche.",
    )
    postcodes = models.CharField(
        "codes postaux", max_length=255, help_text="Codes postaux séparés par des espaces."
    )
    population = models.PositiveIntegerField("population municipale")
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name="intercommunalité (EPCI)",
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
    )
    latitude = models.FloatField("latitude du centroïde", help_text="WGS84, en degrés.")
    longitude = models.FloatField("longitude du centroïde", help_text="WGS84, en degrés.")
    interior_latitude = models.FloatField(
        "latitude d'un point intérieur", help_text="Point garanti à l'intérieur du contour."
    )
    interior_longitude = models.FloatField(
        "longitude d'un point intérieur", help_text="Point garanti à l'intérieur du contour."
    )
    area_km2 = models.FloatField("superficie approximative (km²)", null=True, blank=True)
    former_codes = models.CharField(
        "codes INSEE 2018",
        max_length=255,
        blank=True,
        help_text="Codes des communes de 2018 regroupées dans celle-ci, séparés par des espaces.",
    )
    contour = models.JSONField(
        "contour", null=True, blank=True, help_text="Géométrie GeoJSON (Polygon ou MultiPolygon)."
    )

    class Meta:
        verbose_name = "commune"
        ordering = ["search_key", "insee_code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = normalise(self.name)
        if update_fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territory:commune_detail", args=[self.insee_code])

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()

    @property
    def former_code_list(self) -> list[str]:
        return self.former_codes.split()
