"""Receipts of memberships and fees, as PDF (WeasyPrint, no network access)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Subscription


def receipt_pdf(subscription: Subscription) -> bytes:
    from maillage.plan.exports import _pdf

    html = render_to_string("mediation/pdf/receipt.html", {"s": subscription})
    return _pdf(html)
