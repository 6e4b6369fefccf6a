"""The appointments API: public services and slots; indicators for staff."""

from maillage.appointments.labels import BookableBy
from maillage.organisations.labels import Role

from .conftest import MONDAY


def test_public_services_and_slots(client, visio_setup):
    services = client.get("/api/appointments/services").json()
    assert [s["name"] for s in services] == ["Dossier de prestations Caf"]
    assert services[0]["documents"] == ["Numéro d'allocataire", "Avis d'imposition"]
    slots = client.get(
        f"/api/appointments/services/{services[0]['id']}/slots",
        {"start": MONDAY.isoformat(), "days": 1},
    ).json()
    assert len(slots) == 4 and slots[0]["place_id"] == visio_setup["place"].pk
    assert (
        client.get(
            f"/api/appointments/services/{services[0]['id']}/slots", {"days": 90}
        ).status_code
        == 422
    )
    visio_setup["service"].bookable_by = BookableBy.STAFF
    visio_setup["service"].save()
    assert client.get(f"/api/appointments/services/{services[0]['id']}/slots").status_code == 404


def test_indicators_need_a_role(client, login, member, visio_setup):
    assert client.get("/api/appointments/indicators").status_code == 401
    login(member(Role.VIEWER))
    assert client.get("/api/appointments/indicators").status_code == 403
    login(member(Role.PARTNER_AGENT))
    data = client.get("/api/appointments/indicators", {"by": "place"}).json()
    assert data["rows"] == [] and data["plan"]["visio_users"] == 0
