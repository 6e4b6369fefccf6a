import datetime as dt

import pytest
from django.urls import reverse

from maillage.plan import services
from maillage.plan.history import sheet_changes

pytestmark = pytest.mark.django_db


def test_history_lists_field_changes_with_author(login, sheet08, pilot08):
    indicator = sheet08.indicators.get()
    services.sheet_update(sheet=sheet08, data={"calendar_text": "2018-2020"}, by=pilot08)
    services.target_set(indicator=indicator, kind="final", value=60, year=2022, by=pilot08)
    services.measurement_record(
        indicator=indicator, value=12, date=dt.date(2019, 6, 1), author=pilot08
    )
    entries = sheet_changes(sheet08, pilot08)
    calendar = next(e for e in entries if any(c.label.startswith("Calendrier") for c in e.changes))
    change = next(c for c in calendar.changes if c.label.startswith("Calendrier"))
    assert (change.old, change.new) == ("2018-2019", "2018-2020")
    assert calendar.who == str(pilot08)
    target = next(e for e in entries if e.subject.startswith("Valeur finale"))
    assert [(c.label, c.old, c.new) for c in target.changes] == [("Valeur", "59", "60")]
    assert any(e.subject.startswith("Mesure du 01/06/2019") for e in entries)
    html = (
        login(pilot08)
        .get(reverse("plan:sheet_history", args=[sheet08.plan.slug, "Num08"]))
        .content.decode()
    )
    assert "2018-2020" in html and "Mesure du 01/06/2019" in html
