import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def demo(charente, django_db_blocker):
    """Charente with the demonstration organisations, places and appointments, loaded once per
    test module inside the communes' outer transaction and rolled back after it."""
    from maillage.appointments.demo import load_demo_appointments
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places

    with django_db_blocker.unblock(), transaction.atomic():
        load_referential_organisations()
        list(load_demo_places())
        list(load_demo_appointments())
        yield charente
        transaction.set_rollback(True)
