"""One name per meaning in query strings (`maillage/web/query_names.py`): every GET filter form
shows only names of the vocabulary, and an address bookmarked before a rename still filters."""

import pytest

from maillage.access.forms import AccessMapForm
from maillage.broadband.forms import MapForm
from maillage.mediation.forms import StatsFilterForm
from maillage.networks.forms import DirectoryFilterForm, MemberFilterForm, ReturnFilterForm
from maillage.networks.models import Member
from maillage.organisations.forms import OrganisationFilterForm
from maillage.organisations.models import Organisation
from maillage.places.forms import FindHelpForm, HelpRequestFilterForm, PlaceFilterForm
from maillage.plan.rollup import Filters
from maillage.transport.forms import DayForm
from maillage.web.query_names import QUERY_NAMES

VOCABULARY = set(QUERY_NAMES.values())
# Names of one page only, with no other meaning elsewhere on the site.
PAGE_OWN = {
    "theme",
    "situation",
    "dimension",
    "phase",
    "base",
    "instance",
    "widget",
    "next",
    "aide",
    "ouverture",
    "delai",
}


FORMS = {
    "FindHelpForm": lambda: FindHelpForm(),
    "PlaceFilterForm": lambda: PlaceFilterForm(),
    "HelpRequestFilterForm": lambda: HelpRequestFilterForm(),
    "OrganisationFilterForm": lambda: OrganisationFilterForm(),
    "DirectoryFilterForm": lambda: DirectoryFilterForm(),
    "ReturnFilterForm": lambda: ReturnFilterForm(members=Member.objects.none()),
    "DayForm": lambda: DayForm(),
    "StatsFilterForm": lambda: StatsFilterForm(organisations=Organisation.objects.none()),
    "MemberFilterForm": lambda: MemberFilterForm(organisations=Organisation.objects.none()),
    "AccessMapForm": lambda: AccessMapForm(kinds=[], epcis=[]),
    "MapForm": lambda: MapForm(quarters=[], epcis=[]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_filter_forms_use_the_vocabulary(name):
    form = FORMS[name]()
    names = {form[field].html_name for field in form.fields}
    assert names <= VOCABULARY | PAGE_OWN, sorted(names - VOCABULARY - PAGE_OWN)


def test_plan_filters_use_the_vocabulary():
    filters = Filters(pilot="X", status="done", territory="departement")
    assert filters.as_query() == "pilote=X&statut=done&territoire=departement"
    assert Filters.from_query({"statut": "done"}).status == "done"


@pytest.mark.django_db
def test_old_names_still_read():
    """Bookmarks made before the rename keep filtering."""
    form = HelpRequestFilterForm({"status": "open", "need": "digital"})
    assert form.is_valid() and form.cleaned_data["status"] == "open"
    assert form.cleaned_data["need"] == "digital"
    assert form["status"].html_name == "statut"
    # The new name wins when both are given.
    form = PlaceFilterForm({"kind": "library", "type": "mairie"})
    form.is_valid()
    assert form["kind"].value() == "mairie"
    assert Filters.from_query({"status": "done", "territory": "departement"}) == Filters(
        status="done", territory="departement"
    )
