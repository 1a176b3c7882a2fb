"""The editorial listings of the admin: queue, dashboard, revisions."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from ..templatetags.newsroom import time_element


class ArticleTitleColumn(tables.Column):
    """The article's title, linking to its page in the admin."""

    def __init__(self, *, url_name="admin:articles_article_change", **kwargs):
        self.url_name = url_name
        super().__init__(accessor="title", **kwargs)

    def render(self, value, record):
        return format_html(
            "<a href='{}'>{}</a>", reverse(self.url_name, args=[record.pk]), value
        )


class WhenColumn(tables.Column):
    """A date and time in the newsroom's one format ("3 December 2026, 05:16"),
    in its time zone, as a <time> element (`time_element` holds the format)."""

    def render(self, value):
        return time_element(value)


class ReviewQueueTable(tables.Table):
    title = ArticleTitleColumn(
        url_name="admin:articles_article_review", verbose_name=_("Title")
    )
    desk = tables.Column(verbose_name=_("Desk"))
    created_by = tables.Column(verbose_name=_("Author"), default="—")
    submitted_by = tables.Column(verbose_name=_("Submitted by"), default="—")
    submitted_at = WhenColumn(verbose_name=_("Submitted"))
    waiting = tables.Column(
        verbose_name=_("Waiting"),
        accessor="submitted_at",
        order_by="-submitted_at",
        attrs={"td": {"class": "nr-waiting"}},
    )

    class Meta:
        template_name = "admin/articles/work_table.html"
        attrs = {"class": "nr-list"}
        empty_text = _("Nothing is waiting for review.")

    def render_waiting(self, value):
        return timesince(value)


class DashboardTable(tables.Table):
    title = ArticleTitleColumn(verbose_name=_("Title"))
    desk = tables.Column(verbose_name=_("Desk"))
    created_by = tables.Column(verbose_name=_("Author"), default="—")
    status = tables.Column(verbose_name=_("State"))
    updated_at = WhenColumn(verbose_name=_("Last changed"))
    submitted_at = WhenColumn(verbose_name=_("Submitted"), default="—")
    published_at = WhenColumn(verbose_name=_("Publication"), default="—")
    last_comment = tables.Column(verbose_name=_("Moderator's comment"), orderable=False)
    last_by_name = tables.Column(verbose_name=_("Returned by"), default="—")
    last_at = WhenColumn(verbose_name=_("Returned"), default="—")

    class Meta:
        template_name = "admin/articles/work_table.html"
        attrs = {"class": "nr-list"}
        empty_text = _("None.")
        order_by = "-updated_at"

    # Shown only where asked for: the author (of anyone's articles), when
    # submitted (in review), and who returned it, when and why (returned).
    OPTIONAL = ("created_by", "submitted_at")
    RETURN = ("last_comment", "last_by_name", "last_at")

    def __init__(self, *args, with_comment=False, show=(), exclude=(), **kwargs):
        hidden = {*self.OPTIONAL, *(() if with_comment else self.RETURN)} - {*show}
        super().__init__(*args, exclude=(*hidden, *exclude), **kwargs)

    def render_status(self, record):
        # A scheduled article whose time has come reads as published.
        return record.get_shown_status_display()


class RevisionTable(tables.Table):
    number = tables.Column(verbose_name=_("Revision"))
    created_at = tables.DateTimeColumn(verbose_name=_("Saved"))
    author = tables.Column(verbose_name=_("By"), default="—")
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)
    note = tables.Column(verbose_name=_("Note"), default="")
    actions = tables.Column(verbose_name=_("Actions"), empty_values=(), orderable=False)

    class Meta:
        template_name = "admin/articles/work_table.html"
        attrs = {"class": "nr-list"}
        order_by = "-number"

    def __init__(self, *args, article, can_restore, **kwargs):
        self.article = article
        self.current = article.current_revision()
        self.can_restore = can_restore
        super().__init__(*args, **kwargs)

    def render_state(self, record):
        labels = []
        if record.pk == self.article.live_revision_id:
            labels.append(_("readers see this"))
        if self.current is not None and record.pk == self.current.pk:
            labels.append(_("current"))
        if record.conflicted:
            labels.append(_("kept aside"))
        return ", ".join(str(label) for label in labels)

    def render_actions(self, record):
        def url(name, *args):
            return reverse(
                f"admin:articles_article_{name}", args=[self.article.pk, *args]
            )

        links = [(url("preview", record.number), _("preview"))]
        if record.number > 1:
            compare = url("compare") + f"?from={record.number - 1}&to={record.number}"
            links.append((compare, _("changes")))
        if (
            self.can_restore
            and self.current is not None
            and record.pk != self.current.pk
        ):
            links.append((url("restore", record.number), _("restore")))
        return format_html_join(" · ", "<a href='{}'>{}</a>", links)
