"""Write every desk, article (with its history) and user to one file."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom import backup


class Command(BaseCommand):
    help = (
        "Export all content (desks, articles, bodies, revisions, status changes, "
        "corrections, preview links, imported sources) and the users with their "
        "roles and password hashes to FILE, JSON Lines, gzipped if FILE ends in "
        ".gz. Restore it with import_content."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write, e.g. content.jsonl.gz")

    def handle(self, *args, **options):
        path = Path(options["file"])
        # Written beside the target and renamed when complete, so that FILE is
        # never a half-written export.
        partial = path.with_name(path.name + ".partial")
        try:
            with backup.open_file(
                partial, "w", gzipped=path.name.endswith(".gz")
            ) as stream:
                counts = backup.export_content(stream)
            os.replace(partial, path)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Exported to {path}:")
        for label, count in counts.items():
            self.stdout.write(f"{count:>9}  {backup.kind(label)}")
