"""Static files as production serves them: hashed names, compressed, cached for good."""

from django.conf import settings
from django.contrib.staticfiles import storage
from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The ES modules: in folders of static/js/ (js/grid/), apart from the classic
# scripts in static/js/ itself and from other apps' files, and the vendored
# ones (tools/vendor_js.py).
MODULES = ("js/*/*.js", "vendor/*/*.js")


class AddressesOnce:
    """A static file's address worked out once per process and storage.

    `{% static %}` asks the storage each time (a join, and the manifest's
    hashed name): about 10 µs, four times on an article page. An address
    changes only with the settings (a new storage is made then) or a new
    deployment, which starts new processes; DEBUG, which makes the manifest
    give plain names, is part of the key.
    """

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        key = (name, settings.DEBUG)
        addresses = self.__dict__.setdefault("_addresses", {})
        if key not in addresses:
            addresses[key] = super().url(name)
        return addresses[key]


class StaticFilesStorage(AddressesOnce, storage.StaticFilesStorage):
    """Django's, for development and tests (STATIC_MANIFEST=0)."""


class ManifestStaticFilesStorage(AddressesOnce, CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, with our ES modules importing each other's hashed names.

    A module imports its neighbours by relative path ("./schema.js"): unchanged,
    the hashed main.js would load schema.js under its plain name, which is not
    cached for good and may come from another release than the page. Django
    rewrites the imports of every script when `support_js_module_import_aggregation`
    is on; only our modules and the vendored ones are ES modules, so only they
    get the rewrite.
    """

    patterns = CompressedManifestStaticFilesStorage.patterns + tuple(
        (modules, HashedFilesMixin._js_module_import_aggregation_patterns[1])
        for modules in MODULES
    )
