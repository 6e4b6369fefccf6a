from tests.territory.conftest import charente  # noqa: F401  (module-scoped Charente import)
