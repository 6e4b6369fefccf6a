from pathlib import Path

import pytest
from django.test import override_settings

from maillage import clock
from maillage.appointments import sms
from maillage.transport.darp.readers import read_cordeau

from .fleet import NOW

DATA = Path(__file__).parent / "data"


@pytest.fixture
def a2_16():
    return read_cordeau(DATA / "a2-16.txt")


@pytest.fixture
def fleet_day():
    """The fleet's clock (`fleet.NOW`, the day before `fleet.DAY`), a short planning budget and
    an empty SMS outbox: what the tests of planned days share."""
    with clock.travel(NOW), override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.3):
        sms.outbox.clear()
        yield
