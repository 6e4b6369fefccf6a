import json
import re
from io import StringIO

from django.core.management import call_command

from maillage.transport.darp.checker import Stop, check_solution

from .conftest import DATA


def run(*args) -> str:
    out = StringIO()
    call_command("darp_solve", str(DATA / "a2-16.txt"), *args, stdout=out)
    return out.getvalue()


def test_json_output_is_complete_and_checkable(a2_16):
    data = json.loads(run("--seconds", "3", "--json", "--workers", "1"))
    assert {"instance", "cost", "requests", "served", "vehicles", "unserved", "seconds"} <= set(
        data
    )
    assert data["instance"] == "a2-16" and data["requests"] == 16 and data["served"] == 16
    routes = []
    for vehicle in data["vehicles"]:
        route = vehicle["route"]
        assert route[0]["node"] == 0 and route[-1]["node"] == 33
        assert set(route[0]) == {"node", "arrival", "start_of_service"}
        routes.append(
            (
                vehicle["vehicle"],
                [Stop(s["node"], s["arrival"], s["start_of_service"]) for s in route],
            )
        )
    report = check_solution(a2_16, routes)
    assert report.feasible, report.violations
    assert abs(report.cost - data["cost"]) < 1e-3


def test_baseline_and_french_summary():
    """The summary's wording; how many requests the baseline serves in its time budget depends
    on the machine's load (bench/darp.py measures quality, not this test)."""
    text = run("--seconds", "2", "--baseline")
    assert "Instance a2-16 : coût" in text
    assert re.search(r"\b(1[0-6]|[0-9])/16 demandes servies", text), text
    assert "solution réalisable" in text
