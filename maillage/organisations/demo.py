"""Demonstration accounts (one per role), clearly fictitious."""

from collections.abc import Iterator


def load_demo_accounts() -> Iterator[str]:
    yield "Comptes de démonstration : aucun pour l'instant."
