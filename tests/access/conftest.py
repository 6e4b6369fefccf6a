import pytest

from tests.territory.conftest import charente  # noqa: F401


@pytest.fixture
def demo(charente):  # noqa: F811
    """Charente with the demonstration organisations, places and appointments."""
    from maillage.appointments.demo import load_demo_appointments
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places

    load_referential_organisations()
    list(load_demo_places())
    list(load_demo_appointments())
    return charente
