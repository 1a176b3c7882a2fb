"""Import legacy HTML or markdown articles as drafts, repairing what is broken."""

import json
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importing import MAX_BYTES
from articles.importing.load import CREATED, FAILED, import_document
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
        parser.add_argument("--report", help="also write the results as JSON to FILE")
        parser.add_argument(
            "--user", help="username recorded as the author (default: none)"
        )

    def handle(self, *args, **options):
        files = self.collect(options["paths"])
        if not files:
            raise CommandError("No files to import (looked for .html, .md and .txt).")
        desk = None if options["dry_run"] else self.desk(options["desk"])
        user = self.user(options["user"])
        outcomes = []
        for number, path in enumerate(files, start=1):
            self.progress(number, len(files), path)
            outcomes.append(
                import_document(
                    self.read(path),
                    name=str(path),
                    desk=desk,
                    by=user,
                    format=options["format"],
                    dry_run=options["dry_run"],
                )
            )
        results = [self.result(outcome) for outcome in outcomes]
        if options["json"]:
            # One file: its document in the stable JSON form; several: a list.
            single = outcomes[0].parsed.to_json() if outcomes[0].parsed else results[0]
            printed = single if len(outcomes) == 1 else results
            self.stdout.write(json.dumps(printed, ensure_ascii=False, indent=2))
        if options["report"]:
            Path(options["report"]).write_text(
                json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        self.summary(outcomes)
        if any(outcome.status == FAILED for outcome in outcomes):
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

    def read(self, path: Path) -> bytes:
        # Read one byte more than the limit: the parser says the file is too big.
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)

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

    def progress(self, number: int, total: int, path: Path) -> None:
        if total > 1:
            width = 30
            done = width * number // total
            bar = "#" * done + "." * (width - done)
            self.stderr.write(
                f"\r[{bar}] {number}/{total} {path.name[:40]:40}", ending=""
            )
            if number == total:
                self.stderr.write("")

    def result(self, outcome) -> dict:
        result = {"file": outcome.name, "status": outcome.status}
        if outcome.message:
            result["message"] = outcome.message
        if outcome.article is not None:
            result["article"] = outcome.article.pk
        if outcome.parsed is not None:
            result["document"] = outcome.parsed.to_json()
        return result

    def summary(self, outcomes) -> None:
        counts = Counter(outcome.status for outcome in outcomes)
        repairs = Counter(
            note["code"] for outcome in outcomes for note in outcome.notes
        )
        line = ", ".join(f"{counts[status]} {status}" for status in sorted(counts))
        self.stderr.write(f"{len(outcomes)} file(s): {line}.")
        if repairs:
            self.stderr.write(
                "Repairs: "
                + ", ".join(f"{code} ×{n}" for code, n in sorted(repairs.items()))
            )
        for outcome in outcomes:
            if outcome.status == FAILED:
                self.stderr.write(f"FAILED {outcome.name}: {outcome.message}")
        if counts[CREATED]:
            self.stderr.write("New drafts are waiting in the admin (Articles → Draft).")
