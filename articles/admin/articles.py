from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename, get_user_model
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.forms import Script
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import rendering, revisions, services, tabledata, workflow
from ..models import Article, Desk, Revision, WorkingCopy
from ..views import table_view
from .editor_page import editor_config
from .forms import ArticleForm, SubmitNoteForm
from .views import WorkflowViews
from .views.comments import thread_context


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ShownStatusFilter(admin.SimpleListFilter):
    """The status filter, by the status people read (`Article.shown_status`)."""

    title = _("status")
    parameter_name = "status__exact"  # the address the plain filter had

    def lookups(self, request, model_admin):
        return Article.Status.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        now = timezone.now()
        due = Q(status=Article.Status.SCHEDULED, published_at__lte=now)
        if self.value() == Article.Status.PUBLISHED:
            return queryset.filter(Q(status=self.value()) | due)
        return queryset.filter(status=self.value()).exclude(due)


def _editing_allowed(request, article) -> bool:
    """An article the workflow does not let this person edit now opens read-only.

    A form posted anyway (opened before the article was submitted) is taken,
    so that ArticleAdmin can keep its content aside instead of losing it.
    """
    return (
        article is None
        or request.method == "POST"
        or workflow.can(workflow.EDIT, article, by=request.user)
    )


@admin.register(Article)
class ArticleAdmin(WorkflowViews, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "desk",
        "shown_status",
        "created_by",
        "published_at",
        "updated_at",
        "changes_waiting",
    ]
    list_filter = [ShownStatusFilter, "desk"]
    list_select_related = ["desk", "created_by"]
    search_fields = ["title", "standfirst", "byline"]
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["shown_status", "created_by", "published_at", "timeline"]
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
                    # Hidden: the revision the page opened, and the body the
                    # document editor writes when the form is sent.
                    "base_revision",
                    "body",
                ]
            },
        ),
        (
            _("Workflow"),
            {"fields": ["shown_status", "created_by", "published_at", "timeline"]},
        ),
    ]

    class Media:
        css = {
            "all": [
                "css/admin.css",
                "css/table-grid.css",
                "css/editor.css",
                "css/thread.css",
            ]
        }
        js = [Script("js/editor/main.js", type="module")]

    def get_queryset(self, request):
        current = Revision.objects.filter(
            article=OuterRef("pk"), conflicted=False
        ).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .annotate(current_revision_id=Subquery(current.values("pk")[:1]))
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and _editing_allowed(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not _may_open_accounts(request.user):
            fields = _author_unlinked(fields)
        if obj is not None and obj.published_at is not None:
            # Published addresses are permanent: links to them must keep working.
            fields += ["slug", "desk"]
        return fields

    def get_fieldsets(self, request, obj=None):
        if _may_open_accounts(request.user):
            return super().get_fieldsets(request, obj)
        # The author's name without the link to their account, which would
        # answer this person with a 403.
        return [
            (name, {**options, "fields": _author_unlinked(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("author"))
    def author(self, obj):
        return obj.created_by if obj and obj.created_by else "-"

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    @admin.display(description=_("status"), ordering="status")
    def shown_status(self, obj):
        return obj.get_shown_status_display()

    @admin.display(boolean=True, description=_("changes waiting"))
    def changes_waiting(self, obj):
        """Whether readers see an older revision than the editors' one."""
        if obj.live_revision_id is None:
            return None
        return obj.current_revision_id != obj.live_revision_id

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        entries = obj.transitions.select_related("by", "revision")[:20]
        if not entries:
            return _("Not submitted yet.")
        due = ""
        if obj.status != obj.shown_status:
            # Readers see it from its time on, before the scheduler records it.
            due = format_html(
                "<li><time datetime='{}'>{}</time> · <strong>{}</strong></li>",
                obj.published_at.replace(microsecond=0).isoformat(),
                date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT"),
                _("Published at its scheduled time"),
            )
        return format_html(
            "<ol class='nr-timeline'>{}{}</ol>",
            due,
            format_html_join(
                "",
                "<li><time datetime='{}'>{}</time> · {} · <strong>{}</strong>"
                " ({} → {}){}{}</li>",
                (
                    (
                        # HTML allows at most three decimals of a second.
                        entry.at.replace(microsecond=0).isoformat(),
                        date_format(
                            timezone.localtime(entry.at), "SHORT_DATETIME_FORMAT"
                        ),
                        entry.by or _("the scheduler"),
                        entry.get_action_display(),
                        Article.Status(entry.from_status).label,
                        Article.Status(entry.to_status).label,
                        " · "
                        + _("revision %(number)d") % {"number": entry.revision.number}
                        if entry.revision
                        else "",
                        format_html("<blockquote>{}</blockquote>", entry.comment)
                        if entry.comment
                        else "",
                    )
                    for entry in entries
                ),
            ),
        )

    # --- saving: every save is a revision; a stale or locked save is kept aside

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            locked = Article.objects.select_for_update().get(pk=obj.pk)
            # Only the form's fields are the editor's: the workflow's (status,
            # live revision...) are taken as they are now, under the lock.
            for field in Article._meta.concrete_fields:
                if field.name not in form.fields and not field.primary_key:
                    setattr(obj, field.attname, getattr(locked, field.attname))
            refusal = self._stale_or_locked(
                locked, form.cleaned_data.get("base_revision"), request.user
            )
            if refusal:
                # Write everything as usual, snapshot it, then roll it back:
                # the same validation and the same snapshot as a real save.
                request.newsroom_conflict = {
                    "savepoint": transaction.savepoint(),
                    "refusal": refusal,
                }
        super().save_model(request, obj, form, change)

    def _stale_or_locked(self, article, base_number, user) -> str:
        """Say why this save cannot be applied, or return ''."""
        current = article.current_revision()
        if current is not None and current.number != base_number:
            when = date_format(
                timezone.localtime(current.created_at), "SHORT_DATETIME_FORMAT"
            )
            return _(
                "%(who)s saved a newer version (revision %(number)d) on %(when)s, "
                "after you opened this page (revision %(base)s)."
            ) % {
                "who": current.author or _("Someone"),
                "number": current.number,
                "when": when,
                "base": base_number,
            }
        try:
            workflow.check(workflow.EDIT, article, by=user)
        except workflow.WorkflowPermissionDenied:
            raise
        except workflow.WorkflowError as refusal:
            return str(refusal)
        return ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        sections = form.cleaned_data.get("body")
        if sections is not None:  # None: posted without the editor (no JavaScript)
            sections = services.replace_body(article, sections)
        # Saved (or kept aside): the autosaved copy has done its job.
        WorkingCopy.objects.filter(article=article, user=request.user).delete()
        base = article.revisions.filter(
            number=form.cleaned_data.get("base_revision")
        ).first()
        conflict = getattr(request, "newsroom_conflict", None)
        if conflict is None:
            revision = workflow.revise(
                article, by=request.user, base=base, sections=sections
            )
            for warning in tabledata.snapshot_warnings(revision.snapshot):
                self.message_user(request, warning, messages.WARNING)
            return
        data = revisions.snapshot(article)
        transaction.savepoint_rollback(conflict["savepoint"])
        conflict["kept"] = revisions.keep_aside(
            article,
            data,
            author=request.user,
            base=base,
            note=gettext("Kept aside: %(refusal)s") % {"refusal": conflict["refusal"]},
        )

    def log_change(self, request, obj, message):
        if not hasattr(request, "newsroom_conflict"):
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        conflict = getattr(request, "newsroom_conflict", None)
        if conflict is not None:
            kept = conflict["kept"]
            self.message_user(
                request,
                _(
                    "Your changes were not applied: %(refusal)s Nothing you typed is "
                    "lost: it is kept as revision %(number)d. Below, compare it with "
                    "the current version and copy what you need."
                )
                % {"refusal": conflict["refusal"], "number": kept.number},
                messages.WARNING,
            )
            current = obj.current_revision()
            return HttpResponseRedirect(
                reverse("admin:articles_article_compare", args=[obj.pk])
                + f"?from={current.number}&to={kept.number}"
            )
        self._submit_if_asked(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._submit_if_asked(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _submit_if_asked(self, request, obj):
        if "_submit" not in request.POST:
            return
        note = SubmitNoteForm(request.POST)
        comment = note.cleaned_data["comment"] if note.is_valid() else ""
        try:
            workflow.submit(obj, by=request.user, comment=comment)
        except workflow.WorkflowPermissionDenied:
            # A 403, which also rolls back the save: the admin makes the whole
            # request one transaction.
            raise
        except workflow.WorkflowError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%s” was submitted for review.") % obj.title,
                messages.SUCCESS,
            )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # Saving makes a draft of the article, which is then submitted.
        context["can_submit"] = workflow.has_permission(
            workflow.SUBMIT, obj, by=request.user
        ) and (obj is None or workflow.can(workflow.EDIT, obj, by=request.user))
        context["workflow_actions"] = self.workflow_actions(request, obj)
        if obj is not None:
            context.update(
                thread_context(request, obj, obj.current_revision(), return_to="change")
            )
        if context["can_submit"]:
            # What was typed in it stays when the save is refused.
            context["submit_form"] = SubmitNoteForm(
                request.POST if "_submit" in request.POST else None
            )
            # One page: "Submit for review" leads to the note and the button
            # below the form, which save and submit in one go.
            for action in context["workflow_actions"]:
                if action.get("action") == workflow.SUBMIT:
                    action["url"] = "#nr-submit"
        context.update(
            self._editor_context(
                request, context["adminform"].form, obj, context.get("thread", ())
            )
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _editor_context(self, request, form, article, comments) -> dict:
        """The body: in the editor if this person may edit it now, else read-only.

        The open comments of the conversation are shown at their blocks, unless
        the body is a refused save's, whose blocks may have moved.
        """
        current = revisions.snapshot(article)["sections"] if article else []
        context = {"body_html": _read_only_body(request, current)}
        if article is None or workflow.can(workflow.EDIT, article, by=request.user):
            # A refused save shows what was typed, with its errors.
            posted = form.posted_sections() if form.is_bound else None
            context["editor_config"] = editor_config(
                request,
                article,
                current if posted is None else posted,
                form.body_errors,
                comments if posted is None else (),
            )
        return context


def _may_open_accounts(user) -> bool:
    """Whether `user` may open people's accounts in the admin (links to them)."""
    opts = get_user_model()._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def _author_unlinked(fields) -> list:
    return ["author" if field == "created_by" else field for field in fields]


def _read_only_body(request, sections) -> str:
    """The body as readers would see it, for a page that may not edit it."""
    return rendering.render_body(
        request,
        {"sections": sections},
        lambda block, number: table_view(block, number, request, ids_in_browser=False),
    )
