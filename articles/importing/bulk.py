"""Import many files: in worker processes, resumable, one result per file.

`run` yields a `FileResult` per file as each one finishes. With `jobs` > 1
the files are read, parsed and saved in worker processes (new processes on
this one's settings and databases; each opens its own connection).
Each file is saved in one transaction by `load.save_document`: a worker that
dies or is killed mid-file leaves nothing of that file behind. SQLite takes
one writer at a time, so there the workers only parse and this process saves.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils.translation import gettext as _

from ..models import Desk, ImportedSource
from . import MAX_BYTES, ImportedArticle, worker
from .load import (
    CREATED,
    PARSED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    content_hash,
    parse_document,
    save_document,
    save_documents,
)

# What the report says of a file (load's finer outcome is kept beside it).
IMPORTED, REFUSED, FAILED = "imported", "refused", "failed"
STATUS = {CREATED: IMPORTED, UPDATED: IMPORTED, UNCHANGED: SKIPPED, PARSED: PARSED}


@dataclass(frozen=True)
class Job:
    """What every file of a run is imported with."""

    format: str = "auto"
    dry_run: bool = False
    desk: int | None = None  # primary keys: workers load their own rows
    user: int | None = None
    resume: frozenset[str] = frozenset()  # hashes of sources already imported
    documents: bool = False  # keep each parsed document's JSON (for --json)


@dataclass
class FileResult:
    """What happened to one file; `report()` is its line in the --report file."""

    index: int
    file: str
    status: str  # imported, skipped, refused, failed (parsed in a dry run)
    outcome: str  # load's: created, updated, unchanged, skipped, failed, parsed
    message: str = ""
    article: int | None = None
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    document: dict | None = None
    # Parsed in a worker, to be saved here (SQLite only); dropped once saved.
    parsed: ImportedArticle | None = None
    source: bytes | None = None

    def report(self) -> dict:
        line = {
            "file": self.file,
            "status": self.status,
            "outcome": self.outcome,
            "article": self.article,
            "notes": dict(sorted(Counter(n["code"] for n in self.notes).items())),
            "seconds": round(self.seconds, 4),
        }
        if self.message:
            line["message"] = self.message
        return line


def imported_hashes() -> frozenset[str]:
    """The content hashes of every source imported so far (for --resume)."""
    return frozenset(ImportedSource.objects.values_list("content_hash", flat=True))


def saves_in_workers() -> bool:
    # SQLite locks the whole database for a write: parallel saves would wait
    # on each other and fail with "database is locked".
    return connection.vendor != "sqlite"


# Files a worker reads, parses and saves at a time: the new ones among them are
# written together (`load.save_documents`), in a dozen queries for them all.
BATCH = 10


def run(files: list[Path], job: Job, *, jobs: int = 1) -> Iterator[FileResult]:
    """Import `files`, yielding each one's result as it finishes."""
    batches = _batches(files)
    if jobs <= 1:
        _start(job, parent=None, save=True)
        for batch in batches:
            yield from _work(batch)
        return
    save = saves_in_workers()
    _start(job, parent=None, save=True)  # this process saves what workers parse
    # Workers start afresh ("spawn"), not as copies of this process: a fork
    # would copy its open database connections (the sockets shared by every
    # copy) and the locks its other threads hold, such as a test server's.
    databases = {alias: connections[alias].settings_dict for alias in connections}
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker.start,
        initargs=(asdict(job), os.getpid(), save, databases),
    )
    running = set()
    try:
        while True:
            # A few batches per worker in flight: tens of thousands of files
            # never become tens of thousands of pending futures.
            for batch in batches:
                running.add(pool.submit(_work, batch))
                if len(running) >= 3 * jobs:
                    break
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                for result in future.result():  # BrokenProcessPool if a worker died
                    if result.parsed is not None and not job.dry_run:
                        _save_here(result, job)
                    yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(files: list[Path]) -> Iterator[list[tuple[int, Path]]]:
    numbered = list(enumerate(files))
    for start in range(0, len(numbered), BATCH):
        yield numbered[start : start + BATCH]


# --- in each worker (or in this process, for one job)

_state: dict = {}


def _start(job: Job, parent: int | None, save: bool) -> None:
    _state.clear()
    _state.update(job=job, parent=parent, save=save)


def _work(batch: list[tuple[int, Path]]) -> list[FileResult]:
    """Read, parse and (in a worker on PostgreSQL, or alone) save a batch of files."""
    if _state["parent"] is not None and os.getppid() != _state["parent"]:
        # The command was killed: start nothing more.
        os._exit(1)
    job: Job = _state["job"]
    results, to_save = [], []
    for index, path in batch:
        start = time.perf_counter()
        try:
            result, parsed, source = _read_and_parse(index, path, job, start)
        except Exception as error:  # one broken file must not stop a run
            result, parsed = _failure(index, str(path), error, start), None
        if parsed is not None and not job.dry_run:
            if _state["save"]:
                to_save.append((result, parsed, source))
            else:
                result.parsed, result.source = parsed, source
        results.append(result)
    if to_save:
        _save_batch(to_save, job)
    return results


def _read_and_parse(index: int, path: Path, job: Job, start: float):
    """The file's result so far, and its parsed document and source to save."""
    name = str(path)
    with path.open("rb") as handle:
        # One byte over the limit: the parser says the file is too big.
        source = handle.read(MAX_BYTES + 1)
    if content_hash(source) in job.resume:
        result = FileResult(
            index, name, SKIPPED, UNCHANGED, _("Already imported (resumed run).")
        )
        return result, None, None
    outcome = parse_document(source, name=name, format=job.format)
    return _result(index, outcome, start), outcome.parsed, source


def _save_batch(to_save: list[tuple[FileResult, ImportedArticle, bytes]], job: Job):
    start = time.perf_counter()
    try:
        outcomes = save_documents(
            [(parsed, source, result.file) for result, parsed, source in to_save],
            desk=_desk(job),
            by=_user(job),
            flush=False,
        )
    except Exception as error:  # as in _work: the batch's files fail, not the run
        outcomes = [error] * len(to_save)
    share = (time.perf_counter() - start) / len(to_save)
    for (result, _parsed, _source), outcome in zip(to_save, outcomes, strict=True):
        if isinstance(outcome, Exception):
            result.status = result.outcome = FAILED
            result.message = f"{type(outcome).__name__}: {outcome}"
        else:
            _take_outcome(result, outcome)
        result.seconds += share


def _failure(index: int, name: str, error: Exception, start: float) -> FileResult:
    return FileResult(
        index,
        name,
        FAILED,
        FAILED,
        f"{type(error).__name__}: {error}",
        seconds=time.perf_counter() - start,
    )


def _result(index: int, outcome, start: float) -> FileResult:
    if outcome.status == FAILED:
        status = REFUSED if outcome.refused else FAILED
    else:
        status = STATUS.get(outcome.status, outcome.status)
    job: Job = _state["job"]
    return FileResult(
        index,
        outcome.name,
        status,
        outcome.status,
        outcome.message,
        article=outcome.article.pk if outcome.article is not None else None,
        notes=outcome.notes,
        seconds=time.perf_counter() - start,
        document=outcome.parsed.to_json()
        if job.documents and outcome.parsed is not None
        else None,
    )


def _save_here(result: FileResult, job: Job) -> None:
    """Save in this process what a worker parsed (SQLite)."""
    start = time.perf_counter()
    parsed, source = result.parsed, result.source
    result.parsed = result.source = None
    try:
        outcome = save_document(
            parsed, source, name=result.file, desk=_desk(job), by=_user(job)
        )
    except Exception as error:  # as in _work
        result.status = result.outcome = FAILED
        result.message = f"{type(error).__name__}: {error}"
        return
    finally:
        result.seconds += time.perf_counter() - start
    _take_outcome(result, outcome)


def _take_outcome(result: FileResult, outcome) -> None:
    """Make `result` say what saving did."""
    if outcome.status == FAILED:
        result.status = FAILED
    else:
        result.status = STATUS.get(outcome.status, outcome.status)
    result.outcome, result.message = outcome.status, outcome.message
    result.article = outcome.article.pk if outcome.article is not None else None


def _desk(job: Job) -> Desk:
    if "desk" not in _state:
        _state["desk"] = Desk.objects.get(pk=job.desk)
    return _state["desk"]


def _user(job: Job):
    if job.user is None:
        return None
    if "user" not in _state:
        _state["user"] = get_user_model().objects.get(pk=job.user)
    return _state["user"]
