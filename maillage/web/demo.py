"""The demonstration dataset loaded by `make run`: each app contributes its part."""

from collections.abc import Iterator


def load_demo() -> Iterator[str]:
    """Load every app's demonstration data, idempotently; yield one line per step."""
    from maillage.access.demo import load_demo_access
    from maillage.appointments.demo import load_demo_appointments
    from maillage.broadband.demo import load_demo_broadband
    from maillage.mediation.demo import load_demo_mediation
    from maillage.networks.demo import load_demo_networks
    from maillage.organisations.demo import load_demo_accounts
    from maillage.places.demo import load_demo_places
    from maillage.plan.demo import load_demo_measurements
    from maillage.transport.demo import load_demo_transport

    yield from load_demo_accounts()
    yield from load_demo_places()
    yield from load_demo_appointments()  # on the demonstration places
    yield from load_demo_measurements()  # on the sheets `load_referential` imported
    yield from load_demo_mediation()  # after places; computes the bound indicators
    yield from load_demo_transport()  # after appointments: rides to the Chalais workshop
    yield from load_demo_broadband()  # figures, works, Num03's series: recomputes indicators
    yield from load_demo_networks()  # Num02's Promeneurs du Net, after the demo accounts
    yield from load_demo_access()  # last: from the places, hours and free slots above
