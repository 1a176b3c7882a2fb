import nested_admin
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import revisions, workflow
from ..models import Article, Block, Desk, Revision, Section
from .forms import BlockForm, SectionFormSet


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class BlockInline(nested_admin.NestedStackedInline):
    model = Block
    form = BlockForm
    extra = 0
    sortable_field_name = "position"
    fields = [
        "kind",
        "text",
        "ordered",
        "items",
        "caption",
        "source_note",
        "grid",
        "position",
    ]
    classes = ["nr-block"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("table")
            .prefetch_related("items", "table__columns", "table__rows")
        )


class SectionInline(nested_admin.NestedStackedInline):
    model = Section
    formset = SectionFormSet
    inlines = [BlockInline]
    extra = 0
    sortable_field_name = "position"
    fields = ["heading", "anchor", "position"]
    classes = ["nr-section"]


@admin.register(Article)
class ArticleAdmin(nested_admin.NestedModelAdmin):
    list_display = [
        "title",
        "desk",
        "status",
        "published_at",
        "updated_at",
        "changes_waiting",
    ]
    list_filter = ["status", "desk"]
    list_select_related = ["desk"]
    search_fields = ["title", "standfirst", "byline"]
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "published_at", "revision_history"]
    inlines = [SectionInline]
    actions = ["publish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "desk",
                    "standfirst",
                    "byline",
                    "source_credit",
                ]
            },
        ),
        (_("Publication"), {"fields": ["status", "published_at", "revision_history"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/newsroom-admin.js", "js/block-kind.js"]

    def get_queryset(self, request):
        latest = Revision.objects.filter(article=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_revision_id=Subquery(latest.values("pk")[:1]))
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at is not None:
            # Published addresses are permanent: links to them must keep working.
            fields += ["slug", "desk"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    @admin.display(boolean=True, description=_("unpublished changes"))
    def changes_waiting(self, obj):
        if obj.status != Article.Status.PUBLISHED:
            return None
        return obj.latest_revision_id != obj.live_revision_id

    @admin.display(description=_("revisions"))
    def revision_history(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        recent = obj.revisions.select_related("author")[:10]
        return format_html(
            "<ul class='nr-revisions'>{}</ul>",
            format_html_join(
                "",
                "<li>#{} · {} · {}{}</li>",
                (
                    (
                        revision.number,
                        revision.created_at.strftime("%Y-%m-%d %H:%M"),
                        revision.author or _("unknown"),
                        _(" · live") if revision.pk == obj.live_revision_id else "",
                    )
                    for revision in recent
                ),
            ),
        )

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            revisions.create_revision(form.instance, author=request.user)

    def has_publish_permission(self, request) -> bool:
        # TODO(#3): moderators, through the workflow's own permission check.
        return request.user.is_superuser

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_publish"] = self.has_publish_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        self._publish_if_asked(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._publish_if_asked(request, obj)
        return super().response_change(request, obj)

    def _publish_if_asked(self, request, obj):
        if "_publish" not in request.POST:
            return
        try:
            workflow.publish(obj, by=request.user)
        except workflow.WorkflowError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request, _("“%s” is now published.") % obj.title, messages.SUCCESS
            )

    @admin.action(
        description=_("Publish the latest saved version"), permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                workflow.publish(article, by=request.user)
            except workflow.WorkflowError as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            else:
                published += 1
        if published:
            self.message_user(
                request, _("%d article(s) published.") % published, messages.SUCCESS
            )
