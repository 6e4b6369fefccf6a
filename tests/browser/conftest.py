"""Browser tests: Debian's chromium driven by Playwright against Django's live server.

Playwright's own browser download cannot work offline, so the tests launch
/usr/bin/chromium (`make test` installs it). Screenshots land in test-artifacts/.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import DEFAULT_PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} est introuvable : installez Chromium (apt-get install chromium) "
            "ou lancez `make test`, qui l'installe."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def page(page):
    """Every page of every browser test runs under the Content-Security-Policy the settings
    send (the production one): a blocked script, style, image or request fails the test."""
    blocked = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield page
    assert not blocked, "Violations de la CSP :\n" + "\n".join(blocked)


@pytest.fixture
def screenshot(page, request):
    """Save a screenshot of the current page as a CI artefact: screenshot("step-name")."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(request, live_server):
    """`log_in(email)`: log in through the login form, as a person would, on the test's `page`
    (or `on=` another one, e.g. a phone's)."""

    def go(email: str, password: str = DEFAULT_PASSWORD, *, on=None) -> None:
        page = on or request.getfixturevalue("page")
        page.goto(live_server.url + "/connexion/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Se connecter").click()

    return go


def totp_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `key` now (or `steps_ahead` periods later)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def log_in_with_code(page, log_in):
    """`log_in_with_code(email, key)`: log in through both steps, as a person with an
    authenticator app would. The code is the next period's: the app's current one may already
    have served (no replay)."""

    def go(email: str, key: bytes) -> None:
        log_in(email)
        page.get_by_label("Code de vérification").fill(totp_code(key, steps_ahead=1))
        page.get_by_role("button", name="Valider").click()

    return go


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def axe_check(axe):
    """`axe_check(page)`: run axe-core (served from the package, no network) on `page` and fail
    on serious or critical issues."""

    def check(page) -> None:
        results = axe.run(page)
        blocking = [
            v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(", ".join(n["target"]) for n in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"Accessibilité ({page.url}) :\n{report}"

    return check


@pytest.fixture
def assert_accessible(page, axe_check):
    """`assert_accessible()`: the axe-core check on the test's `page`."""
    return lambda: axe_check(page)


WIDTHS = (1280, 390)


@pytest.fixture
def check_widths(page, axe, request):
    """`check_widths("step")`: at 1280 and at 390 px wide, a full-page screenshot and axe-core
    with no violation at all (any impact); the page is left at 1280 px."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def check(step: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=str(ARTIFACTS / f"{request.node.name}--{step}--{width}.png"), full_page=True
            )
            violations = axe.run(page).response["violations"]
            report = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']} — "
                + ", ".join(", ".join(n["target"]) for n in v["nodes"][:5])
                for v in violations
            )
            assert not violations, f"Accessibilité à {width} px ({page.url}) :\n{report}"
        page.set_viewport_size({"width": 1280, "height": 900})

    return check
