"""Chosen files of installed front-end packages, served as Maillage's own static files.

`STATICFILES_DIRS` exposes a whole directory; some packages ship files that break the
production storage's post-processing (XStatic's Leaflet.markercluster ships a minified file
pointing at a source map it does not ship). This finder serves only the files listed in
`MAILLAGE_PACKAGE_STATIC`: {URL prefix: (package directory, [file names])}.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class PackageFileFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, Path] = {}
        self.storages: list[tuple[str, FileSystemStorage]] = []
        for prefix, (directory, names) in settings.MAILLAGE_PACKAGE_STATIC.items():
            storage = FileSystemStorage(location=str(directory))
            storage.prefix = prefix
            for name in names:
                self.files[f"{prefix}/{name}"] = Path(directory) / name
                self.storages.append((name, storage))

    def check(self, **kwargs):
        from django.core.checks import Error

        return [
            Error(f"Fichier statique introuvable : {path}", id="maillage.E001")
            for path in self.files.values()
            if not path.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        found = self.files.get(path)
        if found is None:
            return [] if find_all else None
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        yield from self.storages
