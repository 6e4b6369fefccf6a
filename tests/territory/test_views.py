import pytest
from django.urls import reverse
from django.utils.html import escape

from maillage.territory import labels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _charente(charente):
    """Every page here shows the shipped Charente communes."""


def search(client, query):
    return client.get(reverse("territory:commune_search"), {"q": query})


def test_search_page_has_a_labelled_field_and_no_result_yet(client):
    response = client.get(reverse("territory:commune_search"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="fr-label" for="commune-q">' in html
    assert 'id="commune-q" name="q"' in html
    assert 'method="get"' in html
    assert "Aucune commune" not in html
    assert "trouvée" not in html


def test_search_lists_communes_with_postcodes_epci_and_population(client):
    response = search(client, "st severin")

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 commune trouvée" in html
    assert 'href="/communes/16350/"' in html
    assert "Saint-Séverin" in html
    assert "Code postal : 16390" in html
    assert "CC Lavalette Tude Dronne" in html
    assert "784 habitants" in html
    assert 'value="st severin"' in html  # the query stays in the field


def test_search_groups_thousands_and_lists_every_postcode(client):
    html = search(client, "Courcôme").content.decode()
    assert "Codes postaux : 16240, 16700" in html
    html = search(client, "angouleme").content.decode()
    assert "41\u202f908 habitants" in html  # a narrow no-break space groups thousands


def test_unknown_query_says_so_plainly(client):
    response = search(client, "Xyzzy-sur-Mer")

    assert response.status_code == 200
    message = (
        "Aucune commune ne correspond à « Xyzzy-sur-Mer ». "
        "Vérifiez l'orthographe ou essayez le code postal."
    )
    assert message == labels.NO_RESULT.format(query="Xyzzy-sur-Mer")
    assert escape(message) in response.content.decode()


def test_query_is_escaped(client):
    html = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_many_results_are_cut_with_a_note(client):
    html = search(client, "saint").content.decode()
    assert "Plus de 20 communes trouvées" in html
    assert "précisez votre recherche" in html
    assert html.count('class="fr-link fr-text--lg"') == 20


def test_commune_detail(client):
    response = client.get(reverse("territory:commune_detail", args=["16350"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Saint-Séverin</h1>" in html
    assert "16350" in html
    assert "16390" in html
    assert "784 habitants" in html
    assert "CC Lavalette Tude Dronne" in html
    assert "latitude 45,31113, longitude 0,24518" in html
    assert "mlat=45.31113&amp;mlon=0.24518" in html
    assert 'class="fr-breadcrumb"' in html
    assert '<svg viewBox="0 0 ' in html and 'role="img"' in html
    # The other communes of the EPCI, not the commune itself.
    neighbours = response.context["neighbours"]
    assert neighbours
    assert all(c.epci_id == "200070282" and c.insee_code != "16350" for c in neighbours)
    assert 'href="/communes/16020/"' in html  # Aubeterre-sur-Dronne, same EPCI


def test_merged_commune_shows_its_former_codes(client):
    html = client.get(reverse("territory:commune_detail", args=["16005"])).content.decode()
    assert "16005, 16411" in html


def test_unknown_commune_is_404(client):
    assert client.get(reverse("territory:commune_detail", args=["99999"])).status_code == 404


def test_json_search(client):
    url = reverse("territory:commune_search_json")
    assert url == "/communes/recherche.json"

    response = client.get(url, {"q": "st severin"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "insee_code": "16350",
            "name": "Saint-Séverin",
            "postcodes": ["16390"],
            "epci": "CC Lavalette Tude Dronne",
            "latitude": 45.31113,
            "longitude": 0.24518,
        }
    ]
    assert client.get(url, {"q": "xyzzy"}).json() == []
    assert client.get(url).json() == []
    assert len(client.get(url, {"q": "saint", "limit": "3"}).json()) == 3
    assert len(client.get(url, {"q": "saint", "limit": "beaucoup"}).json()) == 20


def test_navigation_links_to_the_search(client):
    html = client.get(reverse("territory:commune_detail", args=["16015"])).content.decode()
    assert 'href="/communes/" target="_self" aria-current="page">Communes</a>' in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/territory/commune/",
        "/admin/territory/commune/?q=st+severin",
        "/admin/territory/commune/16350/change/",
        "/admin/territory/epci/",
        "/admin/territory/departement/16/change/",
    ],
)
def test_admin_pages(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    if "q=" in url:
        assert "Saint-Séverin" in response.content.decode()
