import pytest

from tests.territory.conftest import charente  # noqa: F401


@pytest.fixture
def example_csv() -> bytes:
    from maillage.places.standard import EXAMPLE_PATH

    return EXAMPLE_PATH.read_bytes()
