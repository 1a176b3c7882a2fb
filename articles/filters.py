"""django-filter FilterSets for the editorial queues."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Article, Desk


def _authors(request):
    return get_user_model().objects.filter(is_staff=True).order_by("username")


class ArticleFilter(django_filters.FilterSet):
    desk = django_filters.ModelChoiceFilter(
        queryset=Desk.objects.all(), label=_("Desk"), empty_label=_("All desks")
    )
    author = django_filters.ModelChoiceFilter(
        field_name="created_by",
        queryset=_authors,
        label=_("Author"),
        empty_label=_("Anyone"),
    )
    status = django_filters.ChoiceFilter(
        choices=Article.Status.choices, label=_("State"), empty_label=_("Any state")
    )
    title = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Title contains")
    )

    class Meta:
        model = Article
        fields = ["desk", "author", "status", "title"]
