from pathlib import Path

import pytest

from maillage.transport.darp.readers import read_cordeau

DATA = Path(__file__).parent / "data"


@pytest.fixture
def a2_16():
    return read_cordeau(DATA / "a2-16.txt")
