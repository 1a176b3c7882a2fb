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
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import revisions, services, workflow
from ..models import Article, Desk, ImportedSource, Revision
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
            if not flush:
                _commit_without_flush()
            outcome = _save(parsed, source, name=name, desk=desk, by=by)
    except (ValidationError, workflow.WorkflowError) as error:
        return Outcome(name, FAILED, _message(error), parsed=parsed, notes=notes)
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
    _source_row(article, parsed, source, name, digest, by).save()
    return Outcome(name, status, article=article)


def _source_row(article, parsed, source, name, digest, by) -> ImportedSource:
    return ImportedSource(
        article=article,
        name=name[:500],
        content_hash=digest,
        format=parsed.source_format,
        text=source if isinstance(source, str) else _as_text(source),
        notes=[note.__dict__ for note in parsed.notes],
        imported_by=by,
    )


def _message(error: ValidationError | workflow.WorkflowError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _commit_without_flush() -> None:
    """Let this transaction commit without waiting for the disk (see save_document)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def save_documents(
    documents: list[tuple[ImportedArticle, str | bytes, str]],
    *,
    desk: Desk,
    by: User | None,
    flush: bool = True,
) -> list[Outcome]:
    """Save many parsed documents (parsed, source, name): an Outcome each, in order.

    The new ones are written together, in one transaction and a dozen queries
    whatever their number: all of them or none. Any other (a re-import, the
    same content twice in the batch), and all of them if the batch cannot be
    written (say another process took a slug meanwhile), go one by one
    through `save_document`.
    """
    new = [
        _New(index, parsed, source, name, content_hash(source))
        for index, (parsed, source, name) in enumerate(documents)
    ]
    known_names = set(
        Article.objects.filter(legacy_id__in=[doc.name for doc in new]).values_list(
            "legacy_id", flat=True
        )
    )
    seen = set(
        ImportedSource.objects.filter(
            content_hash__in=[doc.digest for doc in new]
        ).values_list("content_hash", flat=True)
    )
    firsts = []
    for doc in new:
        if doc.name not in known_names and doc.digest not in seen:
            firsts.append(doc)
            seen.add(doc.digest)
    outcomes: list[Outcome | None] = [None] * len(documents)
    try:
        with transaction.atomic():
            if not flush:
                _commit_without_flush()
            for doc in _create_all(firsts, desk=desk, by=by):
                outcomes[doc.index] = doc.outcome
    except DatabaseError:
        outcomes = [None] * len(documents)
    for index, outcome in enumerate(outcomes):
        if outcome is None:
            parsed, source, name = documents[index]
            outcomes[index] = save_document(
                parsed, source, name=name, desk=desk, by=by, flush=flush
            )
    return outcomes


@dataclass
class _New:
    """A document of `save_documents` that no earlier import matches."""

    index: int
    parsed: ImportedArticle
    source: str | bytes
    name: str
    digest: str
    article: Article | None = None
    body: services.NewBody | None = None
    outcome: Outcome | None = None


def _create_all(docs: list[_New], *, desk: Desk, by: User | None) -> list[_New]:
    """Create an article for each document: one query per table, whatever
    their number. Returns them with their outcome set."""
    everything, created = services.NewBody(), []
    slugs = _free_slugs(desk, [doc.parsed.title for doc in docs])
    for doc, slug in zip(docs, slugs, strict=True):
        notes = [note.__dict__ for note in doc.parsed.notes]
        doc.article = Article(
            desk=desk,
            title=doc.parsed.title[:250],
            slug=slug,
            created_by=by,
            legacy_id=doc.name[:500],
        )
        doc.body = services.NewBody(doc.article)
        doc.body.add_sections(doc.parsed.to_body())
        try:
            if doc.body.problems:
                raise ValidationError(doc.body.errors)
            workflow.check(workflow.EDIT, doc.article, by=by)
        except (ValidationError, workflow.WorkflowError) as error:
            doc.outcome = Outcome(
                doc.name, FAILED, _message(error), parsed=doc.parsed, notes=notes
            )
            continue
        doc.outcome = Outcome(
            doc.name, CREATED, article=doc.article, parsed=doc.parsed, notes=notes
        )
        everything.extend(doc.body)
        created.append(doc)
    Article.objects.bulk_create([doc.article for doc in created])
    everything.write()
    Revision.objects.bulk_create(
        Revision(
            article=doc.article,
            number=1,
            author=by,
            note=f"Imported from {doc.name}"[:300],
            title=doc.article.title,
            standfirst=doc.article.standfirst,
            snapshot=revisions.snapshot(doc.article, doc.body.sections_data()),
        )
        for doc in created
    )
    ImportedSource.objects.bulk_create(
        _source_row(doc.article, doc.parsed, doc.source, doc.name, doc.digest, by)
        for doc in created
    )
    return docs


def _earlier_import(name: str, digest: str) -> Article | None:
    article = Article.objects.select_for_update().filter(legacy_id=name).first()
    if article is None:
        source = ImportedSource.objects.filter(content_hash=digest).first()
        article = source and Article.objects.select_for_update().get(
            pk=source.article_id
        )
    return article


def _free_slug(desk: Desk, title: str) -> str:
    return _free_slugs(desk, [title])[0]


def _free_slugs(desk: Desk, titles: list[str]) -> list[str]:
    """A free slug in `desk` for each title, all different: one query."""
    bases = [slugify(title)[:100].strip("-") or "imported-article" for title in titles]
    if not bases:
        return []
    starts = Q()
    for base in set(bases):
        starts |= Q(slug__startswith=base)
    taken = set(
        Article.objects.filter(starts, desk=desk).values_list("slug", flat=True)
    )
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _as_text(source: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return source.decode(encoding)
        except UnicodeDecodeError:
            continue
    return source.decode("utf-8", errors="replace")
