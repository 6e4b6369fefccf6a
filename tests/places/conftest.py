import pytest


@pytest.fixture
def example_csv() -> bytes:
    from maillage.places.standard import EXAMPLE_PATH

    return EXAMPLE_PATH.read_bytes()
