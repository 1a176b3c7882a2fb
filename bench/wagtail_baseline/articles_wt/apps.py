from django.apps import AppConfig


class ArticlesWtConfig(AppConfig):
    name = "articles_wt"
    default_auto_field = "django.db.models.BigAutoField"
