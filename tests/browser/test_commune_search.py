from django.core.management import call_command
from playwright.sync_api import expect


def test_person_finds_saint_severin_typing_st_severin(
    live_server, page, transactional_db, screenshot, assert_accessible
):
    call_command("import_communes", verbosity=0)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Communes"
    ).click()
    page.get_by_role("searchbox").fill("st severin")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator(".territory-results li")
    expect(results.first).to_contain_text("Saint-Séverin")
    expect(results.first).to_contain_text("16390")
    assert_accessible()
    screenshot("resultats")

    results.first.get_by_role("link", name="Saint-Séverin").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saint-Séverin")
    assert_accessible()


def test_unknown_commune_is_said_plainly(live_server, page, transactional_db, assert_accessible):
    call_command("import_communes", verbosity=0)
    page.goto(live_server.url + "/communes/?q=Trifouilly-les-Oies")
    expect(page.get_by_text("Aucun résultat")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Trifouilly-les-Oies")
    assert_accessible()
