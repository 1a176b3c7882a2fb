"""Import legacy HTML or markdown articles as drafts, repairing what is broken."""

import json
import sys
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importing import bulk
from articles.importing.load import CREATED, FAILED
from articles.models import Desk

SUFFIXES = {".html", ".htm", ".md", ".markdown", ".txt"}


class Command(BaseCommand):
    help = (
        "Import legacy articles (HTML, or markdown/plain text with pipe tables) as "
        "drafts. Each file is one transaction: a broken file is reported and the "
        "others go on. Importing the same file again updates its draft or skips it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="files or folders (searched deeply)"
        )
        parser.add_argument(
            "--format", choices=["auto", "html", "markdown"], default="auto"
        )
        parser.add_argument(
            "--desk",
            help=f"desk slug (default: {settings.NEWSROOM_IMPORT_DESK}, made if new)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report; write nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="print each result as JSON"
        )
        parser.add_argument(
            "--report",
            help="also write one JSON line per file to FILE (status, article, "
            "notes by code, seconds), as each file finishes",
        )
        parser.add_argument(
            "--user", help="username recorded as the author (default: none)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="worker processes (default 1); on SQLite they only parse",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="skip files whose content was already imported (after a stop)",
        )

    def handle(self, *args, **options):
        if options["jobs"] < 1:
            raise CommandError("--jobs takes a number of processes, 1 or more.")
        files = self.collect(options["paths"])
        if not files:
            raise CommandError("No files to import (looked for .html, .md and .txt).")
        desk = None if options["dry_run"] else self.desk(options["desk"])
        user = self.user(options["user"])
        job = bulk.Job(
            format=options["format"],
            dry_run=options["dry_run"],
            desk=desk and desk.pk,
            user=user and user.pk,
            resume=bulk.imported_hashes() if options["resume"] else frozenset(),
            documents=options["json"],
        )
        report = None
        if options["report"]:
            report = Path(options["report"]).open("w", encoding="utf-8")
        results, started = [], time.perf_counter()
        try:
            for number, result in enumerate(
                bulk.run(files, job, jobs=options["jobs"]), start=1
            ):
                if report:
                    # Written and flushed as each file finishes: after a crash
                    # the report still says what was done.
                    line = json.dumps(result.report(), ensure_ascii=False)
                    report.write(line + "\n")
                    report.flush()
                # Tens of thousands of files: keep only what the summary needs.
                result.notes = [{"code": note["code"]} for note in result.notes]
                results.append(result)
                self.progress(number, len(files), started, result.file)
        except BrokenProcessPool as error:
            raise CommandError(
                "A worker process died (out of memory?); the files it had finished "
                "are saved. Run the command again with --resume to go on."
            ) from error
        finally:
            if report:
                report.close()
        results.sort(key=lambda result: result.index)
        if options["json"]:
            # One file: its document in the stable JSON form; several: a list.
            printed = [self.result(result) for result in results]
            if len(results) == 1:
                printed = results[0].document or printed[0]
            self.stdout.write(json.dumps(printed, ensure_ascii=False, indent=2))
        self.summary(results)
        if any(result.outcome == FAILED for result in results):
            sys.exit(1)

    def collect(self, paths: list[str]) -> list[Path]:
        files = []
        for given in paths:
            path = Path(given)
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                )
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{given}: no such file or folder.")
        return files

    def desk(self, slug: str | None) -> Desk:
        if slug:
            desk = Desk.objects.filter(slug=slug).first()
            if desk is None:
                raise CommandError(f"There is no desk “{slug}”.")
            return desk
        slug = settings.NEWSROOM_IMPORT_DESK
        return Desk.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
        )[0]

    def user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user “{username}”.")
        return user

    def progress(self, number: int, total: int, started: float, name: str) -> None:
        if total > 1:
            width = 30
            done = width * number // total
            bar = "#" * done + "." * (width - done)
            seconds = time.perf_counter() - started
            rate = number / seconds if seconds else 0.0
            left = (total - number) / rate if rate else 0.0
            minutes, secs = divmod(round(left), 60)
            self.stderr.write(
                f"\r[{bar}] {number}/{total} {rate:.1f} documents/s, "
                f"{minutes}:{secs:02} left {Path(name).name[:40]:40}",
                ending="",
            )
            if number == total:
                self.stderr.write("")

    def result(self, result) -> dict:
        printed = {"file": result.file, "status": result.outcome}
        if result.message:
            printed["message"] = result.message
        if result.article is not None:
            printed["article"] = result.article
        if result.document is not None:
            printed["document"] = result.document
        return printed

    def summary(self, results) -> None:
        counts = Counter(result.outcome for result in results)
        repairs = Counter(note["code"] for result in results for note in result.notes)
        line = ", ".join(f"{counts[status]} {status}" for status in sorted(counts))
        self.stderr.write(f"{len(results)} file(s): {line}.")
        if repairs:
            self.stderr.write(
                "Repairs: "
                + ", ".join(f"{code} ×{n}" for code, n in sorted(repairs.items()))
            )
        for result in results:
            if result.outcome == FAILED:
                self.stderr.write(f"FAILED {result.file}: {result.message}")
        if counts[CREATED]:
            self.stderr.write("New drafts are waiting in the admin (Articles → Draft).")
