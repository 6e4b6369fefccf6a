import pytest
from django.core.management import call_command

from maillage.mediation.demo import load_demo_mediation
from maillage.mediation.models import Accompaniment, Beneficiary
from maillage.places.demo import load_demo_places
from maillage.plan.labels import MeasurementSource
from maillage.plan.models import Measurement


@pytest.mark.django_db
def test_demo_is_fictitious_idempotent_and_feeds_the_indicators(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    call_command("load_referential", verbosity=0)
    list(load_demo_places())
    lines = list(load_demo_mediation())
    assert lines[0].startswith("Médiation de démonstration : 48 bénéficiaires fictifs")
    assert list(load_demo_mediation()) == []  # idempotent
    assert not Beneficiary.objects.filter(is_demo=False).exists()
    assert not Beneficiary.objects.exclude(last_name="").exists()
    assert Accompaniment.objects.filter(date__year=2024).exists()
    computed = Measurement.objects.filter(source=MeasurementSource.COMPUTED)
    num01 = computed.filter(
        indicator__sheet__ref="Num01", indicator__label="Nombre de bénéficiaires"
    )
    assert num01.count() == 3 and num01.order_by("-date").first().value > 40


@pytest.mark.django_db
def test_demo_not_loaded_in_production(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = False
    settings.DEBUG = False
    assert next(load_demo_mediation()).startswith("Médiation de démonstration non chargée")
