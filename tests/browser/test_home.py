import re

from playwright.sync_api import expect


def test_home_page_explains_the_service_and_is_accessible(
    live_server, page, screenshot, assert_accessible
):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Maillage"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("services publics")
    expect(page.get_by_role("banner")).to_contain_text("Charente")
    # The first skip link reaches the main content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Contenu")).to_be_focused()
    screenshot("accueil")
    assert_accessible()
