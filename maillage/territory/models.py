from django.db import models


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "intercommunalité (EPCI)"
        verbose_name_plural = "intercommunalités (EPCI)"

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "commune"

    def __str__(self) -> str:
        return self.name
