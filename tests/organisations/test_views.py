import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from maillage.organisations.labels import OrganisationKind, Role
from maillage.organisations.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["web:home", "web:accessibility", "web:legal", "login"])
def test_public_pages_stay_public(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_navigation_shows_organisations_only_when_logged_in(client, login, user):
    list_url = reverse("organisations:list")
    assert f'href="{list_url}"' not in client.get(reverse("web:home")).content.decode()
    assert f'href="{list_url}"' in login(user).get(reverse("web:home")).content.decode()


# --- Viewer ------------------------------------------------------------------------------


def test_viewer_cannot_reach_any_edit_page_nor_admin(login, member, organisation):
    viewer = member(Role.VIEWER)
    client = login(viewer)
    for name in ("edit", "members"):
        url = reverse(f"organisations:{name}", args=[organisation.slug])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"name": "Piraté"}).status_code == 403, name
    membership = Membership.objects.get(user=viewer)
    url = reverse("organisations:membership_delete", args=[organisation.slug, membership.pk])
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    organisation.refresh_from_db()
    assert organisation.name != "Piraté"

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/organisations/organisation/").status_code == 302


def test_viewer_sees_read_only_page(login, member, organisation):
    client = login(member(Role.VIEWER))
    html = client.get(reverse("organisations:detail", args=[organisation.slug])).content.decode()
    assert organisation.name in html
    assert reverse("organisations:edit", args=[organisation.slug]) not in html


def test_every_non_admin_role_gets_403_on_edit(login, member, organisation, any_role):
    client = login(member(any_role))
    response = client.get(reverse("organisations:edit", args=[organisation.slug]))
    assert response.status_code == (200 if any_role == Role.ADMIN else 403)


# --- Mediator ----------------------------------------------------------------------------


def test_mediator_sees_only_their_organisations(login, member, organisation, other_organisation):
    mediator = member(Role.MEDIATOR)
    client = login(mediator)
    html = client.get(reverse("organisations:list")).content.decode()
    assert organisation.name in html
    assert other_organisation.name not in html
    assert Role.MEDIATOR.label in html

    other_detail = reverse("organisations:detail", args=[other_organisation.slug])
    assert client.get(other_detail).status_code == 404
    other_edit = reverse("organisations:edit", args=[other_organisation.slug])
    assert client.get(other_edit).status_code == 404
    assert client.get(reverse("organisations:detail", args=["inexistante"])).status_code == 404
    assert client.get(reverse("organisations:detail", args=[organisation.slug])).status_code == 200


def test_my_space_lists_organisations_with_roles(login, member, organisation):
    mediator = member(Role.MEDIATOR)
    MembershipFactory(user=mediator, organisation=organisation, receptionist=True)
    html = login(mediator).get(reverse("organisations:my_space")).content.decode()
    assert organisation.name in html
    assert organisation.get_absolute_url() in html
    assert Role.MEDIATOR.label in html
    assert escape(Role.RECEPTIONIST.label) in html
    assert reverse("organisations:edit", args=[organisation.slug]) not in html
    assert reverse("admin:index") not in html


def test_my_space_without_membership(login, user):
    html = login(user).get(reverse("organisations:my_space")).content.decode()
    assert "membre d&#x27;aucune organisation" in html


def test_list_filters_by_kind_and_name(login, superuser):
    OrganisationFactory(name="Commune de Test", kind=OrganisationKind.COMMUNE)
    OrganisationFactory(name="Association Test", kind=OrganisationKind.ASSOCIATION)
    client = login(superuser)
    html = client.get(reverse("organisations:list"), {"type": "commune"}).content.decode()
    assert "Commune de Test" in html and "Association Test" not in html
    html = client.get(reverse("organisations:list"), {"q": "assoc"}).content.decode()
    assert "Association Test" in html and "Commune de Test" not in html
    html = client.get(reverse("organisations:list"), {"q": "ASSOCIATION test"}).content.decode()
    assert "Association Test" in html
    # an invalid filter is ignored, not an error
    assert client.get(reverse("organisations:list"), {"type": "nope"}).status_code == 200


def test_csv_export_holds_only_visible_filtered_organisations(
    login, member, organisation, other_organisation
):
    client = login(member(Role.MEDIATOR))
    response = client.get(reverse("organisations:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Nom"
    assert [row[0] for row in rows[1:]] == [organisation.name]
    assert rows[1][rows[0].index("Mes rôles")] == Role.MEDIATOR.label

    response = client.get(reverse("organisations:export", args=["csv"]), {"type": "commune"})
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1


def test_csv_export_neutralises_formulas(login, superuser):
    OrganisationFactory(name="=HYPERLINK(1)", phone="+33 5 45 00 00 00")
    text = login(superuser).get(reverse("organisations:export", args=["csv"])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert "+33 5 45 00 00 00" in rows[1]


def test_xlsx_export(login, member, organisation):
    response = login(member(Role.VIEWER)).get(reverse("organisations:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Nom"
    assert values[1][0] == organisation.name


# --- Organisation admin ------------------------------------------------------------------


def _form_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "description": organisation.description,
        "siren": organisation.siren,
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
        "address": organisation.address,
        "commune_insee": organisation.commune_insee,
    }
    data.update(changes)
    return data


def test_org_admin_edits_their_organisation(login, member, organisation):
    client = login(member(Role.ADMIN))
    url = reverse("organisations:edit", args=[organisation.slug])
    response = client.post(
        url, _form_data(organisation, name="Espace numérique du Sud", phone="05 45 00 00 00")
    )
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    organisation.refresh_from_db()
    assert organisation.name == "Espace numérique du Sud"
    assert organisation.phone == "05 45 00 00 00"
    html = client.get(response["Location"]).content.decode()
    assert "La fiche de l&#x27;organisation a été enregistrée." in html


def test_edit_form_redisplays_data_and_errors(login, member, organisation):
    client = login(member(Role.ADMIN))
    url = reverse("organisations:edit", args=[organisation.slug])
    response = client.post(
        url,
        _form_data(
            organisation,
            name="",
            short_name="Nouveau sigle",
            siren="123456789",
            email="pas-un-courriel",
            commune_insee="1601",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nouveau sigle"' in html
    assert 'value="pas-un-courriel"' in html
    assert "Ce champ est obligatoire." in html
    assert "clé de contrôle" in html
    assert "5 caractères" in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_siren_error"' in html
    assert "<title>Erreur" in html
    organisation.refresh_from_db()
    assert organisation.short_name != "Nouveau sigle"


def test_superuser_edits_any_organisation(login, superuser, organisation):
    url = reverse("organisations:edit", args=[organisation.slug])
    assert login(superuser).get(url).status_code == 200


def test_org_admin_adds_and_removes_members(login, member, organisation):
    admin = member(Role.ADMIN)
    client = login(admin)
    newcomer = UserFactory(email="nouvelle@exemple.fr")
    url = reverse("organisations:members", args=[organisation.slug])

    response = client.post(url, {"email": "Nouvelle@Exemple.fr ", "role": Role.RECEPTIONIST})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, organisation=organisation)
    assert membership.role == Role.RECEPTIONIST

    response = client.post(url, {"email": "nouvelle@exemple.fr", "role": Role.RECEPTIONIST})
    assert response.status_code == 200
    assert "a déjà ce rôle" in response.content.decode()

    response = client.post(url, {"email": "inconnue@exemple.fr", "role": Role.VIEWER})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucun compte n&#x27;utilise cette adresse" in html
    assert 'value="inconnue@exemple.fr"' in html

    delete_url = reverse("organisations:membership_delete", args=[organisation.slug, membership.pk])
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_be_removed(login, member, organisation):
    admin = member(Role.ADMIN)
    client = login(admin)
    membership = Membership.objects.get(user=admin)
    url = reverse("organisations:membership_delete", args=[organisation.slug, membership.pk])
    response = client.post(url, follow=True)
    assert "dernier administrateur" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_cannot_manage_another_organisations_members(
    login, member, organisation, other_organisation
):
    client = login(member(Role.ADMIN))
    foreign = MembershipFactory(organisation=other_organisation)
    url = reverse("organisations:membership_delete", args=[organisation.slug, foreign.pk])
    assert client.post(url).status_code == 404
    url = reverse("organisations:membership_delete", args=[other_organisation.slug, foreign.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


# --- Django admin ------------------------------------------------------------------------


def test_staff_reach_the_admin_pages(login, superuser, organisation):
    MembershipFactory(organisation=organisation)
    client = login(superuser)
    for url in (
        "/admin/",
        "/admin/organisations/organisation/",
        f"/admin/organisations/organisation/{organisation.pk}/change/",
        "/admin/organisations/organisation/?kind=association&q=test",
        "/admin/organisations/user/",
        "/admin/organisations/user/add/",
        "/admin/organisations/membership/",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_creates_a_user_with_a_lower_case_email(login, superuser):
    from maillage.organisations.models import User

    response = login(superuser).post(
        "/admin/organisations/user/add/",
        {
            "email": "Jeanne.Martin@Exemple.FR",
            "first_name": "Jeanne",
            "last_name": "Martin",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.filter(email="jeanne.martin@exemple.fr").exists()


def test_list_search_ignores_accents_uses_aliases_and_sorts_in_french(login, superuser):
    OrganisationFactory(name="État (Préfecture)", aliases="Préfecture")
    OrganisationFactory(name="France Travail", aliases="Pôle emploi")
    OrganisationFactory(name="Archives")
    client = login(superuser)
    html = client.get(reverse("organisations:list")).content.decode()
    assert html.index("Archives") < html.index("État (Préfecture)") < html.index("France Travail")
    html = client.get(reverse("organisations:list"), {"q": "pole emploi"}).content.decode()
    assert "France Travail" in html and "Archives" not in html
    html = client.get(reverse("organisations:list"), {"q": "etat"}).content.decode()
    assert "État (Préfecture)" in html and "France Travail" not in html
