# The permission matrix world (module-scoped), shared with the API contract tests.

from .world import world  # noqa: F401
