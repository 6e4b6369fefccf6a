# The permission matrix world (module-scoped), shared with the API contract tests.
from tests.territory.conftest import charente  # noqa: F401

from .world import world  # noqa: F401
