import pytest

from maillage.organisations.labels import Role
from maillage.plan.labels import ActorRole
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.plan.factories import ActionSheetFactory, PlanFactory, SheetActorFactory

from .factories import PhaseFactory, ProgrammeFactory, charente_communes


@pytest.fixture
def communes(db):
    return charente_communes()


@pytest.fixture
def smo(db):
    return OrganisationFactory(name="Syndicat mixte ouvert Charente Numérique")


@pytest.fixture
def cc4b(db):
    return OrganisationFactory(name="Communauté de communes des 4B Sud Charente")


@pytest.fixture
def sheets(db, smo, cc4b):
    plan = PlanFactory(slug="sdaasp-charente")
    num10 = ActionSheetFactory(plan=plan, ref="Num10")
    num11 = ActionSheetFactory(plan=plan, ref="Num11")
    SheetActorFactory(sheet=num10, organisation=smo, role=ActorRole.PILOT)
    SheetActorFactory(sheet=num11, organisation=cc4b, role=ActorRole.PILOT)
    return {"Num10": num10, "Num11": num11}


@pytest.fixture
def programme(sheets, communes):
    programme = ProgrammeFactory(sheet=sheets["Num10"])
    PhaseFactory(programme=programme, name="Fibre — 1re plaque")
    phase_4b = PhaseFactory(programme=programme, name="Part de la CC des 4B", sheet=sheets["Num11"])
    phase_4b.epcis.set(["200029734"])
    return programme


@pytest.fixture
def pilot10(smo, sheets):
    person = UserFactory(email="pilote.thd@exemple.fr")
    MembershipFactory(user=person, organisation=smo, role=Role.PILOT)
    return person


@pytest.fixture
def pilot11(cc4b, sheets):
    person = UserFactory(email="pilote.4b@exemple.fr")
    MembershipFactory(user=person, organisation=cc4b, role=Role.PILOT)
    return person
