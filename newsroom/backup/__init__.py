"""Export all content to one file and import it again: desks, articles, people.

The file (format "newsroom-content", version 1) is JSON Lines in UTF-8, gzipped
when its name ends in ".gz":

    line 1     {"format": "newsroom-content", "version": 1, "exported_at": "...",
                "migrations": {"articles": ["0001_initial", ...], "auth": [...]}}
    then       one object per line in Django's serialization format,
               {"model": "articles.article", "pk": 7, "fields": {...}}:
               groups (by name; permissions by natural key), users (with their
               primary key and password hash; groups and permissions by natural
               key), then every model of the content apps, each after the models
               it refers to. Content refers to people by username.
    last line  {"end": {"counts": {"articles.article": 7, ...}}}; a file
               without it was cut short and is refused.

Fields come from the models themselves (Django's serializers), so a field or
model added later travels without changes here. Content keeps its primary
keys: preview-link tokens sign them and admin addresses contain them.

Importing runs in one transaction, and:
- `Article.live_revision` refers to a revision loaded after its article.
  Articles cannot be loaded without it and given it later: the check
  constraint `article_live_has_date_and_revision` refuses a published article
  without a live revision, and check constraints are never deferred. The
  foreign keys Django creates are DEFERRABLE INITIALLY DEFERRED (PostgreSQL,
  SQLite), so the forward reference is checked once everything is loaded
  (`check_constraints`), as loaddata does.
- Revisions refuse `save()` once saved, and `auto_now` fields would take
  the time of the import. Rows are written with `Model.save_base(raw=True)`
  (what `DeserializedObject.save()` calls), which skips both, or with
  `bulk_create` for models without `auto_now` fields (the body's rows).
- People are matched by username: an existing account is updated (password
  hash, flags, groups), a new one keeps its primary key when it is free.
- The sequences are reset afterwards, so new rows get new primary keys.
"""

from .common import BackupError, content_models, kind, open_file
from .export import export_content
from .restore import import_content

__all__ = [
    "BackupError",
    "content_models",
    "export_content",
    "import_content",
    "kind",
    "open_file",
]
