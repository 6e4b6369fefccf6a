"""Organisations a logged-in person may see (the permissions module decides)."""

from django.http import Http404
from ninja import Router, Schema
from ninja.security import django_auth

from maillage.organisations.models import Organisation
from maillage.organisations.permissions import can_view_organisation, visible_organisations

from .errors import errors

router = Router(tags=["Organisations"], auth=django_auth)


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    website: str
    email: str
    phone: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return obj.get_kind_display()


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **errors(401, 422)},
    summary="Organisations visibles",
)
def organisations(request, kind: str = ""):
    queryset = visible_organisations(request.auth).order_by("name")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **errors(401, 404)},
    summary="Une organisation",
)
def organisation(request, slug: str):
    found = Organisation.objects.filter(slug=slug).first()
    if found is None or not can_view_organisation(request.auth, found):
        raise Http404
    return found
