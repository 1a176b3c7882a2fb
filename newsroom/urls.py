from django.contrib import admin
from django.urls import include, path

from newsroom.health import healthz

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    # Load balancers and monitoring (docs/deploy.md).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("", include("articles.urls")),
]
