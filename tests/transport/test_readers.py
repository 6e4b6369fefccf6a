import pytest

from maillage.transport.darp.readers import InstanceFormatError, read_cordeau

from .conftest import DATA


def test_cordeau_2006_file(a2_16):
    assert a2_16.name == "a2-16"
    assert len(a2_16.requests) == 16
    assert len(a2_16.nodes) == 34
    assert [v.capacity for v in a2_16.vehicles] == [(3,), (3,)]
    assert {(v.start, v.end, v.max_duration) for v in a2_16.vehicles} == {(0, 33, 480.0)}
    first = a2_16.requests[0]
    assert (first.pickup, first.delivery, first.max_ride) == (1, 17, 30.0)
    assert a2_16.nodes[9].earliest == 276 and a2_16.nodes[9].latest == 291
    assert a2_16.nodes[17].load == (-1,)
    assert a2_16.travel[0][1] == pytest.approx((1.198**2 + 5.164**2) ** 0.5)


def test_cordeau_laporte_2003_file_gets_an_end_depot(tmp_path):
    path = tmp_path / "pr00.txt"
    path.write_text(
        "1 4 480 6 90\n"
        "0 0 0 0 0 0 1440\n"
        "1 1 1 10 1 0 1440\n"
        "2 2 2 10 2 100 130\n"
        "3 3 3 10 -1 50 80\n"
        "4 4 4 10 -2 0 1440\n"
    )
    instance = read_cordeau(path)
    assert len(instance.requests) == 2
    assert instance.nodes[5].x == 0 and instance.nodes[5].latest == 1440
    assert instance.vehicles[0].end == 5
    assert instance.vehicles[0].capacity == (6,)


def test_unpaired_loads_are_refused(tmp_path):
    text = (
        (DATA / "a2-16.txt")
        .read_text()
        .replace("17   6.687   6.731   3  -1", "17   6.687   6.731   3  -2")
    )
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InstanceFormatError, match="not paired"):
        read_cordeau(path)


def test_wrong_line_count_is_refused(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("\n".join((DATA / "a2-16.txt").read_text().splitlines()[:-3]))
    with pytest.raises(InstanceFormatError, match="do not match"):
        read_cordeau(path)
