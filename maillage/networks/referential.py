"""The network the shipped plan describes: sheet Num02's Promeneurs du Net of the Charente,
coordinated by the FRMJC, steered by the Caf and the State (idempotent, never overwrites
what people changed)."""

from __future__ import annotations

from maillage.organisations.models import Organisation
from maillage.plan.models import ActionSheet

from .models import Network

SEED_NETWORK = {
    "slug": "promeneurs-du-net-charente",
    "name": "Promeneurs du Net de la Charente",
    "description": (
        "Des professionnels de la jeunesse — animateurs, éducateurs, informateurs jeunesse — "
        "présents sur les réseaux sociaux que les jeunes utilisent, pour les écouter, les "
        "conseiller et les soutenir dans leurs projets, dans le cadre d'une charte."
    ),
    "sheet_ref": "Num02",
    "coordinator": "frmjc",
    "steering": ("caf-charente", "etat-prefecture-charente"),
}


def load_seed_network(plan_slug: str = "sdaasp-charente") -> tuple[Network | None, bool]:
    """(network, created): the seed's network, created once its sheet and organisations
    exist (None before)."""
    existing = Network.objects.filter(slug=SEED_NETWORK["slug"]).first()
    if existing is not None:
        return existing, False
    coordinator = Organisation.objects.filter(slug=SEED_NETWORK["coordinator"]).first()
    sheet = ActionSheet.objects.filter(plan__slug=plan_slug, ref=SEED_NETWORK["sheet_ref"]).first()
    if coordinator is None or sheet is None:
        return None, False
    network = Network.objects.create(
        slug=SEED_NETWORK["slug"],
        name=SEED_NETWORK["name"],
        description=SEED_NETWORK["description"],
        organisation=coordinator,
        sheet=sheet,
    )
    network.steering_organisations.set(
        Organisation.objects.filter(slug__in=SEED_NETWORK["steering"])
    )
    return network, True
