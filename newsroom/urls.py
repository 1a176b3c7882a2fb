from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from newsroom.health import healthz

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Editorial desk")

urlpatterns = [
    # Load balancers and monitoring (docs/deploy.md).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
