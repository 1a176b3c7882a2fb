from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("<slug:desk>/", views.desk, name="desk"),
    # Per-table pages come before the article's own address.
    path(
        "<slug:desk>/<slug:slug>/r<int:revision>/table-<int:number>.<str:export_format>",
        views.table_download,
        name="table_download",
    ),
    path(
        "<slug:desk>/<slug:slug>/table-<int:number>/embed/",
        views.table_embed,
        name="table_embed",
    ),
    path("<slug:desk>/<slug:slug>/", views.detail, name="detail"),
]
