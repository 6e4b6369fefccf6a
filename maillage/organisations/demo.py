"""Demonstration accounts (one per role), clearly fictitious.

They all share a published password, so they are only created where demonstration data
belongs: with DEBUG on (`make run`), or when the setting MAILLAGE_DEMO_ACCOUNTS is True.
Never on a production instance.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .labels import Role
from .models import Membership, Organisation, User
from .referential import load_referential_organisations

DEMO_PASSWORD = "demo-maillage-2026"
DEMO_DOMAIN = "demo.maillage.fr"
DEMO_LAST_NAME = "(compte de démonstration)"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    memberships: tuple[tuple[str, str], ...]  # (organisation slug, role)
    superuser: bool = False
    description: str = ""  # what the account is, when no role says it


DEMO_ACCOUNTS = (
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Administratrice de la plateforme", (), superuser=True),
    DemoAccount(
        f"responsable.ensc@{DEMO_DOMAIN}",
        "Responsable Espace Numérique Sud Charente",
        (("espace-numerique-sud-charente", Role.ADMIN),),
    ),
    DemoAccount(
        f"pilote.num08@{DEMO_DOMAIN}",
        "Pilote lecture publique",
        (("departement-charente", Role.PILOT), ("service-departemental-lecture", Role.PILOT)),
    ),
    DemoAccount(
        f"pilote.thd@{DEMO_DOMAIN}",
        "Pilote très haut débit",
        (("smo-charente-numerique", Role.PILOT),),
    ),
    DemoAccount(
        f"mediateur@{DEMO_DOMAIN}",
        "Médiateur numérique",
        (("espace-numerique-sud-charente", Role.MEDIATOR),),
    ),
    DemoAccount(f"agent.caf@{DEMO_DOMAIN}", "Agent Caf", (("caf-charente", Role.PARTNER_AGENT),)),
    DemoAccount(
        f"accueil.mairie@{DEMO_DOMAIN}",
        "Accueil mairie",
        # The town hall hosts a Point Visio of the Département's network (Num06): its
        # receptionist books there on people's behalf.
        (
            ("commune-barbezieux-saint-hilaire", Role.RECEPTIONIST),
            ("departement-charente", Role.RECEPTIONIST),
        ),
    ),
    DemoAccount(f"transport@{DEMO_DOMAIN}", "Transporteur", (("atleb", Role.TRANSPORT_OPERATOR),)),
    DemoAccount(
        f"coordination.pdn@{DEMO_DOMAIN}",
        "Coordinatrice Promeneurs du Net",
        (("frmjc", Role.NETWORK_COORDINATOR),),
    ),
    # No role: a Promeneur du Net acts through the network record linked to this account
    # (see maillage/networks/demo.py), sending their monthly returns.
    DemoAccount(
        f"promeneur@{DEMO_DOMAIN}",
        "Promeneur du Net",
        (),
        description="Promeneur du Net (membre du réseau : envoie ses bilans mensuels)",
    ),
    DemoAccount(f"lecteur@{DEMO_DOMAIN}", "Lecteur", (("departement-charente", Role.VIEWER),)),
)


def demo_accounts_allowed() -> bool:
    return bool(getattr(settings, "MAILLAGE_DEMO_ACCOUNTS", settings.DEBUG))


def is_demo_account(user) -> bool:
    """A demonstration account, on an instance where they are allowed."""
    return user.email.endswith(f"@{DEMO_DOMAIN}") and demo_accounts_allowed()


def load_demo_accounts(*, force: bool = False) -> Iterator[str]:
    """Create or refresh the demonstration accounts; yield one line per account."""
    if not (force or demo_accounts_allowed()):
        yield (
            "Comptes de démonstration non créés : DEBUG est désactivé "
            "(réglage MAILLAGE_DEMO_ACCOUNTS pour les activer)."
        )
        return
    with transaction.atomic():
        wanted_slugs = {slug for account in DEMO_ACCOUNTS for slug, _ in account.memberships}
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted_slugs)}
        if len(organisations) < len(wanted_slugs):
            load_referential_organisations()
            organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted_slugs)}
        for account in DEMO_ACCOUNTS:
            user, _created = User.objects.update_or_create(
                email=account.email,
                defaults={
                    "first_name": account.first_name,
                    "last_name": DEMO_LAST_NAME,
                    "is_active": True,
                    "is_staff": account.superuser,
                    "is_superuser": account.superuser,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            for slug, role in account.memberships:
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[slug], role=role
                )
    yield f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :"
    for account in DEMO_ACCOUNTS:
        if account.superuser:
            roles = "administrateur de la plateforme"
        elif account.description:
            roles = account.description
        else:
            roles = ", ".join(
                f"{Role(role).label} — {organisations[slug].name}"
                for slug, role in account.memberships
            )
        yield f"  {account.email:<40} {roles}"
