from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("<slug:desk>/", views.desk, name="desk"),
    path("<slug:desk>/<slug:slug>/", views.detail, name="detail"),
]
