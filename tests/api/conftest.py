# Fixtures shared with the territory and plan tests.
from tests.plan.conftest import (  # noqa: F401
    library_org,
    other_sheet,
    pilot08,
    pilot_other,
    plan,
    sheet08,
)
from tests.web.world import world  # noqa: F401
