"""Public pages on a phone (390 px wide): nothing makes the page scroll sideways (wide tables
scroll inside their own frame, as the DSFR does)."""

from django.core.management import call_command

from maillage.places.demo import load_demo_places
from maillage.places.models import Place

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = [
    "/",
    "/lieux/",
    "/rendez-vous/",
    "/schema/",
    "/schema/sdaasp-charente/",
    "/schema/sdaasp-charente/fiches/Num01/",
    "/schema/sdaasp-charente/tableau-de-bord/",
    "/communes/",
    "/communes/16015/",
    "/reseaux/",
    "/tres-haut-debit/",
    "/accessibilite/",
    "/mentions-legales/",
    "/connexion/",
]


def test_public_pages_fit_a_phone_without_sideways_scrolling(
    live_server, page, screenshot, transactional_db
):
    call_command("load_referential", verbosity=0)
    list(load_demo_places())
    place = Place.objects.filter(is_demo=True).order_by("pk").first()
    page.set_viewport_size(PHONE)
    too_wide = []
    for path in [*PUBLIC_PAGES, place.get_absolute_url()]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")  # maps drawn, their layers loaded
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path} : {width} px")
            screenshot(path.strip("/").replace("/", "-") or "accueil")
    page.goto("about:blank")  # no map still loading its layers while the database is emptied
    assert not too_wide, "Pages plus larges que l'écran :\n" + "\n".join(too_wide)
