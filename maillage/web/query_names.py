"""One name per meaning in the query strings of Maillage's addresses, in French like the pages
they filter (a person reads and bookmarks them): `?statut=`, never `?status=` on one page and
`?etat=` on another. `QUERY_NAMES` is the vocabulary (meaning → name); `docs/query-parameters.md`
lists which page reads which.

GET filter forms keep English field names in Python (`form.cleaned_data["need"]`) and show
French names in their addresses through `FrenchQueryNames`; a renamed parameter's old name is
still read, so addresses bookmarked before the rename keep working."""

from collections.abc import Mapping

QUERY_NAMES = {
    "search text": "q",
    "export format (csv, xlsx, geojson, html)": "format",
    "status of the records listed": "statut",
    "kind of record (type of place, service, organisation…)": "type",
    "need of the person helped": "besoin",
    "place": "lieu",
    "territory (EPCI or scope level)": "territoire",
    "EPCI (when only an EPCI can be chosen)": "epci",
    "commune": "commune",
    "day shown": "jour",
    "half day": "demi_journee",
    "first day of a period": "du",
    "last day of a period": "au",
    "year": "annee",
    "month": "mois",
    "quarter": "trimestre",
    "measure drawn on a map": "mesure",
    "organisation": "organisme",
    "network member": "membre",
    "online platform": "plateforme",
    "public addressed": "public",
    "operator of a service": "operateur",
    "only the records one follows": "les_miennes",
    "initial training followed or not": "formation",
    "agent": "agent",
    "appointment service (motif)": "motif",
    "appointment followed up": "suivi",
    "show the slots to move to": "deplacer",
    "day or week view": "vue",
    "breakdown dimension": "par",
}


def with_old_names(data, renamed: Mapping[str, str]):
    """`data` (a QueryDict or a dict) where a parameter given only under its old name is also
    given under its new one (`renamed`: old → new)."""
    if not data:
        return data
    missing = {old: new for old, new in renamed.items() if old in data and new not in data}
    if not missing:
        return data
    data = data.copy()
    for old, new in missing.items():
        if hasattr(data, "setlist"):
            data.setlist(new, data.getlist(old))
        else:
            data[new] = data[old]
    return data


class FrenchQueryNames:
    """For a GET filter form: `query_names` maps a field to its name in the address (a name of
    `QUERY_NAMES`); the field's own name is still read, for bookmarked addresses."""

    query_names: dict[str, str] = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(with_old_names(data, self.query_names), *args, **kwargs)

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix(self.query_names.get(field_name, field_name))
