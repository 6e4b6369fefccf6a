"""The JSON API, described in OpenAPI at /api/openapi.json (documentation at /api/docs)."""

from ninja import NinjaAPI

from . import access, appointments, mediation, organisations, places, plan, territory, transport

api = NinjaAPI(
    title="API Maillage",
    version="1",
    description=(
        "Données du schéma départemental d'amélioration de l'accessibilité des services au "
        "public : territoire, organisations, fiches action. Les points d'accès publics ne "
        "demandent pas de connexion ; les autres utilisent la session."
    ),
    urls_namespace="api",
)
api.add_router("/", territory.router)
api.add_router("/", organisations.router)
api.add_router("/", plan.router)
api.add_router("/", places.router)
api.add_router("/", appointments.router)
api.add_router("/", mediation.router)
api.add_router("/", transport.router)
api.add_router("/", access.router)
