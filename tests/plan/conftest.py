import pytest

from maillage.organisations.labels import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import ActionSheetFactory, PlanFactory, SheetActorFactory, num08


@pytest.fixture
def plan(db):
    return PlanFactory(slug="sdaasp-charente")


@pytest.fixture
def library_org(db):
    return OrganisationFactory(name="Service départemental de la lecture")


@pytest.fixture
def sheet08(plan, library_org):
    return num08(plan, library_org)


@pytest.fixture
def pilot08(library_org):
    """A pilot of Num08's organisation."""
    person = UserFactory(email="pilote.num08@exemple.fr")
    MembershipFactory(user=person, organisation=library_org, role=Role.PILOT)
    return person


@pytest.fixture
def other_sheet(plan):
    org = OrganisationFactory(name="Espace Numérique Sud Charente")
    sheet = ActionSheetFactory(plan=plan, ref="Num01")
    SheetActorFactory(sheet=sheet, organisation=org)
    return sheet


@pytest.fixture
def pilot_other(other_sheet):
    """A pilot of another sheet (Num01)."""
    person = UserFactory(email="pilote.num01@exemple.fr")
    org = other_sheet.actors.get().organisation
    MembershipFactory(user=person, organisation=org, role=Role.PILOT)
    return person
