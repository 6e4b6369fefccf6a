"""Monthly returns: the short form's rules, who owes one, and the CSV import (all or nothing,
errors by line and column, idempotent, files from Excel)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage import clock
from maillage.networks import returns, returns_csv
from maillage.networks.labels import CountKind, MemberStatus, ReturnSource
from maillage.networks.models import MonthlyReturn, ReturnCount
from maillage.networks.returns import ReturnData
from tests.factories import UserFactory

from .factories import MemberFactory, MonthlyReturnFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
FEB = dt.date(2026, 2, 1)


def _data(**counts) -> ReturnData:
    return ReturnData(
        follow_ups=2,
        physical_meetings=1,
        counts={
            CountKind.CHANNEL: {"instagram": 7, "snapchat": 3, **counts},
            CountKind.SUBJECT: {"school": 4, "health": 0},
            CountKind.PARTNER: {"mission_locale": 1},
        },
    )


@pytest.fixture
def promeneur(network, user):
    return MemberFactory(
        network=network,
        user=user,
        email="camille@mjc.fr",
        history=[(MemberStatus.ACTIVE, dt.date(2025, 6, 1))],
    )


def test_the_member_sends_a_return_and_sending_again_replaces_it(promeneur, user):
    with clock.travel(NOW):
        first = returns.return_submit(member=promeneur, month=FEB, data=_data(), by=user)
        assert first.submitted_by == user and first.source == ReturnSource.FORM
        assert set(first.counts.values_list("code", "count")) == {
            ("instagram", 7),
            ("snapchat", 3),
            ("school", 4),
            ("mission_locale", 1),
        }  # zeros are not stored
        again = returns.return_submit(member=promeneur, month=FEB, data=_data(instagram=1), by=user)
    assert again.pk == first.pk and MonthlyReturn.objects.count() == 1
    assert again.counts.get(code="instagram").count == 1
    annotated = MonthlyReturn.objects.with_totals().get()
    assert (annotated.contacts, annotated.subjects, annotated.redirections) == (4, 4, 1)


def test_a_stranger_cannot_send_for_a_member(promeneur):
    with clock.travel(NOW), pytest.raises(PermissionDenied):
        returns.return_submit(member=promeneur, month=FEB, data=_data(), by=UserFactory())


@pytest.mark.parametrize(
    "month,message",
    [
        (dt.date(2026, 4, 1), "pas commencé"),
        (dt.date(2025, 5, 1), "ne faisait pas partie"),
        (dt.date(2026, 2, 15), "AAAA-MM"),
    ],
)
def test_months_outside_membership_or_future_are_refused(promeneur, user, month, message):
    with clock.travel(NOW), pytest.raises(ValidationError, match=message):
        returns.return_submit(member=promeneur, month=month, data=_data(), by=user)
    assert not MonthlyReturn.objects.exists()


def test_negative_or_unknown_counts_are_refused(promeneur, user):
    bad = ReturnData(follow_ups=-1, counts={CountKind.CHANNEL: {"myspace": 2}})
    with clock.travel(NOW), pytest.raises(ValidationError) as error:
        returns.return_submit(member=promeneur, month=FEB, data=bad, by=user)
    assert set(error.value.message_dict) == {"follow_ups", "channel_myspace"}


def test_a_member_who_left_mid_month_still_reports_it(network, user):
    member = MemberFactory(
        network=network,
        user=user,
        history=[
            (MemberStatus.ACTIVE, dt.date(2025, 1, 1)),
            (MemberStatus.LEFT, dt.date(2026, 2, 10)),
        ],
    )
    with clock.travel(NOW):
        returns.return_submit(member=member, month=FEB, data=_data(), by=user)
        with pytest.raises(ValidationError):
            returns.return_submit(member=member, month=dt.date(2026, 3, 1), data=_data(), by=user)


def test_missing_returns_and_completion(network):
    sent = MemberFactory(network=network)
    missing = MemberFactory(network=network)
    MemberFactory(  # paused all February: owes nothing
        network=network,
        history=[
            (MemberStatus.ACTIVE, dt.date(2025, 1, 1)),
            (MemberStatus.PAUSED, dt.date(2026, 1, 20)),
        ],
    )
    MemberFactory(  # joined in March
        network=network, history=[(MemberStatus.IN_TRAINING, dt.date(2026, 3, 2))]
    )
    MonthlyReturnFactory(member=sent, month=FEB)
    assert list(returns.missing_returns(network, FEB)) == [missing]
    completion = returns.completion(network, FEB)
    assert (completion.expected, completion.sent, completion.missing, completion.percent) == (
        2,
        1,
        1,
        50,
    )


# --- CSV import -------------------------------------------------------------------------------


def _csv(
    *lines: str, header: str = "courriel;mois;contacts_instagram;sujets_sante;suivis_individuels"
) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def test_import_writes_every_return_in_one_go(network, coordinator, promeneur):
    other = MemberFactory(network=network, email="yanis@bij.fr")
    data = _csv(
        "camille@mjc.fr;2026-01;12;3;1", "YANIS@bij.fr;2026-02;5;;", "camille@mjc.fr;02/2026;0;0;0"
    )
    with clock.travel(NOW):
        report = returns_csv.import_returns(network, data, by=coordinator)
    assert report.ok and (report.created, report.updated) == (3, 0)
    january = MonthlyReturn.objects.get(member=promeneur, month=dt.date(2026, 1, 1))
    assert january.source == ReturnSource.IMPORT and january.follow_ups == 1
    assert set(january.counts.values_list("kind", "code", "count")) == {
        (CountKind.CHANNEL, "instagram", 12),
        (CountKind.SUBJECT, "health", 3),
    }
    assert MonthlyReturn.objects.get(member=other).counts.get().count == 5
    with clock.travel(NOW):
        again = returns_csv.import_returns(network, data, by=coordinator)
    assert (again.created, again.updated) == (0, 3)
    assert MonthlyReturn.objects.count() == 3 and ReturnCount.objects.count() == 3


def test_one_bad_line_refuses_the_whole_file_and_names_line_and_column(
    network, coordinator, promeneur
):
    data = _csv(
        "camille@mjc.fr;2026-01;12;3;1",
        "inconnu@mjc.fr;2026-01;1;;",
        "camille@mjc.fr;2026-13;1;;",
        "camille@mjc.fr;2026-02;-4;deux;",
        "camille@mjc.fr;2026-01;1;;",
        "camille@mjc.fr;2026-05;1;;",
    )
    with clock.travel(NOW):
        report = returns_csv.import_returns(network, data, by=coordinator)
    assert not report.ok
    messages = [str(error) for error in report.errors]
    assert messages[0] == (
        "ligne 3, champ courriel : aucun membre du réseau n'a l'adresse « inconnu@mjc.fr »."
    )
    assert "ligne 4, champ mois : Mois attendu au format AAAA-MM" in messages[1]
    assert any(m.startswith("ligne 5, champ contacts_instagram :") for m in messages)
    assert any(m.startswith("ligne 5, champ sujets_sante :") for m in messages)
    assert "ligne 6 : le bilan de ce membre pour ce mois figure déjà ligne 2." in messages
    assert any(m.startswith("ligne 7, champ mois : On ne peut pas") for m in messages)
    assert not MonthlyReturn.objects.exists()


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "fichier : le fichier est vide."),
        (b"courriel;contacts_instagram\nx@y.fr;1\n", "colonne obligatoire absente : « mois »"),
        (b"courriel;mois;contacts_myspace\n", "colonne inconnue : « contacts_myspace »"),
    ],
)
def test_file_level_errors(network, coordinator, data, message):
    report = returns_csv.import_returns(network, data, by=coordinator)
    assert message in str(report.errors[0])


def test_excel_files_are_read(network, coordinator, promeneur):
    excel = "\ufeffcourriel,mois,contacts_instagram\r\ncamille@mjc.fr,2026-02,4\r\n".encode()
    windows = "courriel;mois;rencontres_physiques\r\ncamille@mjc.fr;2026-01;2\r\n".encode("cp1252")
    with clock.travel(NOW):
        assert returns_csv.import_returns(network, excel, by=coordinator).created == 1
        assert returns_csv.import_returns(network, windows, by=coordinator).created == 1


def test_dry_run_writes_nothing_and_only_coordinators_import(network, coordinator, promeneur, user):
    data = _csv("camille@mjc.fr;2026-01;1;;")
    with clock.travel(NOW):
        report = returns_csv.import_returns(network, data, by=coordinator, dry_run=True)
        assert report.ok and not MonthlyReturn.objects.exists()
        with pytest.raises(PermissionDenied):
            returns_csv.import_returns(network, data, by=user)


def test_import_is_a_handful_of_queries_per_line(network, coordinator, promeneur):
    months = [(2025, m) for m in range(6, 13)] + [(2026, 1), (2026, 2)]
    lines = [f"camille@mjc.fr;{y}-{m:02d};{m};1;1" for y, m in months]
    with clock.travel(NOW), CaptureQueriesContext(connection) as queries:
        report = returns_csv.import_returns(network, _csv(*lines[:3]), by=coordinator)
    few = len(queries)
    MonthlyReturn.objects.all().delete()
    with clock.travel(NOW), CaptureQueriesContext(connection) as queries:
        report = returns_csv.import_returns(network, _csv(*lines), by=coordinator)
    assert report.ok and report.created == 9
    assert (len(queries) - few) / 6 <= 10  # a few queries per line, none per column


def test_template_lists_members_who_owe_the_month(network, promeneur):
    MemberFactory(
        network=network, email="parti@mjc.fr", history=[(MemberStatus.LEFT, dt.date(2020, 1, 1))]
    )
    rows = returns_csv.template_rows(network, FEB)
    assert rows == [["camille@mjc.fr", "2026-02", *[""] * (len(returns_csv.COLUMNS) - 2)]]
    assert list(returns_csv.COLUMNS)[:4] == [
        "courriel",
        "mois",
        "suivis_individuels",
        "rencontres_physiques",
    ]
