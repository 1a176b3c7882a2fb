"""Workflow screens: actions, review, history, compare, preview, share, queues.

Every screen asks the workflow's policy whether the person may do what it
offers: a refusal because of who they are is a 403 (`PermissionDenied`), one
because of the article's state is shown as a message. The actions go through
`workflow`, which asks the same policy again under its row lock. The document
editor's endpoints (`editor`) ask the same policy and answer in JSON.
"""

from django.urls import path

from ..importer import import_view
from ..table_import import import_table
from .base import ScreenBase
from .comments import CommentScreens
from .decisions import DecisionScreens
from .editor import EditorViews
from .history import HistoryScreens
from .queues import QueueScreens
from .sharing import ShareScreens


class WorkflowViews(
    DecisionScreens,
    CommentScreens,
    HistoryScreens,
    ShareScreens,
    QueueScreens,
    EditorViews,
    ScreenBase,
):
    """Mixed into ArticleAdmin: the URLs and views of the editorial workflow."""

    def get_urls(self):
        def view(function, name):
            return self.admin_site.admin_view(function), f"articles_article_{name}"

        routes = [
            ("queue/", self.queue_view, "queue"),
            ("dashboard/", self.dashboard_view, "dashboard"),
            ("<int:object_id>/submit/", self.submit_view, "submit"),
            ("<int:object_id>/withdraw/", self.withdraw_view, "withdraw"),
            ("<int:object_id>/review/", self.review_view, "review"),
            ("<int:object_id>/unpublish/", self.unpublish_view, "unpublish"),
            ("<int:object_id>/revisions/", self.history_view, "revisions"),
            ("<int:object_id>/revisions/compare/", self.compare_view, "compare"),
            ("<int:object_id>/revisions/<int:number>/", self.preview_view, "preview"),
            (
                "<int:object_id>/revisions/<int:number>/restore/",
                self.restore_view,
                "restore",
            ),
            ("<int:object_id>/share/", self.share_view, "share"),
            ("<int:object_id>/comments/", self.comment_view, "comment"),
            (
                "<int:object_id>/comments/<int:comment_id>/resolve/",
                self.resolve_comment_view,
                "resolve_comment",
            ),
            ("table-import/", import_table, "table_import"),
            ("import/", import_view, "import"),
            ("<int:object_id>/source/", self.source_view, "source"),
            (
                "<int:object_id>/editor/autosave/",
                self.editor_autosave_view,
                "editor_autosave",
            ),
            (
                "<int:object_id>/editor/discard/",
                self.editor_discard_view,
                "editor_discard",
            ),
            (
                "<int:object_id>/editor/working-copy/",
                self.editor_working_copy_view,
                "editor_working_copy",
            ),
            (
                "<int:object_id>/editor/preview/",
                self.editor_preview_view,
                "editor_preview",
            ),
            ("editor/paste-table/", self.editor_paste_table_view, "editor_paste_table"),
        ]
        extra = []
        for route, function, name in routes:
            wrapped, url_name = view(function, name)
            extra.append(path(route, wrapped, name=url_name))
        return extra + super().get_urls()
