"""Access to help in a browser: someone opens « Accès aux services numériques », picks « Point
Visio », sees the map and the table agree, clicks Brossac on the map, reads its figures and
follows the link to book — at 1280 and 390 px, with no accessibility violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from maillage import clock
from maillage.access import runs
from maillage.access.models import AccessRun
from tests.charente import import_charente

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# For every commune: its class on the map, the fill of its shape, its class in the table, and
# the fill of the legend swatch bearing that class's name.
AGREEMENT = """() => {
  const legend = {};
  for (const item of document.querySelectorAll('.acces-legend li')) {
    legend[item.querySelector('span').firstChild.textContent.trim()] =
      item.querySelector('rect').getAttribute('fill');
  }
  const table = {};
  for (const row of document.querySelectorAll('#tableau-communes tr[data-insee]')) {
    table[row.dataset.insee] = row.querySelector('.acces-class__label').textContent.trim();
  }
  return [...document.querySelectorAll('svg a[data-insee]')].map(a => ({
    insee: a.dataset.insee,
    map: a.dataset.classe,
    fill: a.querySelector('path').getAttribute('fill'),
    table: table[a.dataset.insee],
    legend: legend[a.dataset.classe],
  }));
}"""


@pytest.fixture
def computed(transactional_db):
    from maillage.appointments.demo import load_demo_appointments
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places

    import_charente()
    load_referential_organisations()
    list(load_demo_places())
    list(load_demo_appointments())
    run = AccessRun.objects.create(computed_on=clock.today(), kinds=["digital", "visio"])
    return runs.access_run_execute(run)


def no_violations(page) -> None:
    """axe-core finds nothing at all (not only nothing serious)."""
    violations = Axe().run(page).response["violations"]
    assert not violations, "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )


def test_point_visio_from_brossac_map_table_figures_and_booking(
    live_server, page, computed, screenshot
):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Accès aux services", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès aux services numériques")

    page.get_by_label("Type d'aide", exact=True).select_option(label="Point Visio")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name="Point Visio : la population à portée")).to_be_visible()
    expect(page.get_by_role("group", name="Carte des communes")).to_be_visible()

    communes = page.evaluate(AGREEMENT)
    assert len(communes) == 359
    for commune in communes:
        assert commune["map"] == commune["table"], commune
        assert commune["fill"] == commune["legend"], commune
    brossac = next(c for c in communes if c["insee"] == "16066")
    assert brossac["map"] == "10 min ou moins"  # it has its own Point Visio
    screenshot("carte-point-visio-1280")
    no_violations(page)

    page.locator('svg a[data-insee="16066"] path').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brossac : point visio")
    figures = page.locator("dl.acces-figures")
    expect(figures).to_contain_text("Point Visio — mairie de Brossac")
    expect(figures).to_contain_text("Trajet")
    expect(figures).to_contain_text("Attente de l'ouverture")
    expect(figures).to_contain_text("Premier rendez-vous libre")
    expect(figures).to_contain_text("10 min ou moins")  # the class the map gave it
    booking = page.get_by_role("link", name="Prendre rendez-vous").first
    expect(booking).to_be_visible()
    screenshot("commune-brossac-1280")
    no_violations(page)

    page.set_viewport_size(PHONE)
    screenshot("commune-brossac-390")
    no_violations(page)
    booking.click()
    expect(page).to_have_url(re.compile(r"/rendez-vous/motif/\d+/\?commune=Brossac"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/acces/?aide=visio")
    expect(page.get_by_role("group", name="Carte des communes")).to_be_visible()
    screenshot("carte-point-visio-390")
    no_violations(page)
