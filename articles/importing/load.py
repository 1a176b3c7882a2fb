"""Save parsed legacy documents as drafts: one transaction per document.

A document is matched to an earlier import by its name (path or identifier,
kept as `Article.legacy_id`) or by the hash of its content, so importing it
again updates that draft, or skips it when nothing changed; it never
duplicates. What an import creates is always a draft in the workflow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import services, workflow
from ..models import Article, Desk, ImportedSource
from . import ImportedArticle, ImportRefused, parse

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED, PARSED = (
    "created", "updated", "unchanged", "skipped", "failed", "parsed"
)  # fmt: skip


@dataclass
class Outcome:
    """What happened to one document."""

    name: str
    status: str
    message: str = ""
    article: Article | None = None
    parsed: ImportedArticle | None = None
    notes: list = field(default_factory=list)
    # A failure because the file itself was refused (empty, binary, too big...).
    refused: bool = False


def content_hash(source: str | bytes) -> str:
    raw = source.encode("utf-8") if isinstance(source, str) else source
    return hashlib.sha256(raw).hexdigest()


def import_document(
    source: str | bytes,
    *,
    name: str,
    desk: Desk,
    by: User | None,
    format: str = "auto",
    dry_run: bool = False,
) -> Outcome:
    """Parse one document and save it as a draft; bad input becomes a failed Outcome."""
    outcome = parse_document(source, name=name, format=format)
    if dry_run or outcome.parsed is None:
        return outcome
    return save_document(outcome.parsed, source, name=name, desk=desk, by=by)


def parse_document(source: str | bytes, *, name: str, format: str = "auto") -> Outcome:
    """Parse one document without touching the database: PARSED, or refused."""
    try:
        parsed = parse(source, format=format, name=name)
    except ImportRefused as refusal:
        return Outcome(name, FAILED, str(refusal), refused=True)
    notes = [note.__dict__ for note in parsed.notes]
    return Outcome(name, PARSED, parsed=parsed, notes=notes)


def save_document(
    parsed: ImportedArticle,
    source: str | bytes,
    *,
    name: str,
    desk: Desk,
    by: User | None,
    flush: bool = True,
) -> Outcome:
    """Save a parsed document as a draft in one transaction: all of it or nothing.

    `flush=False` (bulk runs) commits without waiting for PostgreSQL to flush
    its log to disk: a crash of the database server may then lose the last
    fraction of a second of imports, whole, never part of one, and `--resume`
    imports them again.
    """
    notes = [note.__dict__ for note in parsed.notes]
    try:
        with transaction.atomic():
            if not flush and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            outcome = _save(parsed, source, name=name, desk=desk, by=by)
    except (ValidationError, workflow.WorkflowError) as error:
        messages = (
            error.messages if isinstance(error, ValidationError) else [str(error)]
        )
        return Outcome(name, FAILED, " ".join(messages), parsed=parsed, notes=notes)
    outcome.parsed, outcome.notes = parsed, notes
    return outcome


def _save(
    parsed: ImportedArticle, source, *, name: str, desk: Desk, by: User | None
) -> Outcome:
    digest = content_hash(source)
    article = _earlier_import(name, digest)
    if article is None:
        article = Article.objects.create(
            desk=desk,
            title=parsed.title[:250],
            slug=_free_slug(desk, parsed.title),
            created_by=by,
            legacy_id=name[:500],
        )
        status = CREATED
    else:
        latest = article.sources.first()
        if latest is not None and latest.content_hash == digest:
            return Outcome(
                name, UNCHANGED, _("Already imported; nothing changed."), article
            )
        try:
            workflow.check(workflow.IMPORT, article, by=by)
        except workflow.WorkflowPermissionDenied:
            raise  # a failure, reported as such by import_document: not a skip
        except workflow.WorkflowError as refusal:
            return Outcome(name, SKIPPED, str(refusal), article)
        article.title = parsed.title[:250]
        article.save(update_fields=["title", "updated_at"])
        status = UPDATED
    write = services.write_body if status == CREATED else services.replace_body
    stored = write(article, parsed.to_body())
    workflow.revise(article, by=by, note=f"Imported from {name}"[:300], sections=stored)
    ImportedSource.objects.create(
        article=article,
        name=name[:500],
        content_hash=digest,
        format=parsed.source_format,
        text=source if isinstance(source, str) else _as_text(source),
        notes=[note.__dict__ for note in parsed.notes],
        imported_by=by,
    )
    return Outcome(name, status, article=article)


def _earlier_import(name: str, digest: str) -> Article | None:
    article = Article.objects.select_for_update().filter(legacy_id=name).first()
    if article is None:
        source = ImportedSource.objects.filter(content_hash=digest).first()
        article = source and Article.objects.select_for_update().get(
            pk=source.article_id
        )
    return article


def _free_slug(desk: Desk, title: str) -> str:
    base = slugify(title)[:100].strip("-") or "imported-article"
    taken = set(
        Article.objects.filter(desk=desk, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _as_text(source: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return source.decode(encoding)
        except UnicodeDecodeError:
            continue
    return source.decode("utf-8", errors="replace")
