"""Load a file written by export_content into a database without content."""

from django.core.management.base import BaseCommand, CommandError

from newsroom import backup


class Command(BaseCommand):
    help = (
        "Import a file written by export_content, in one transaction: on any "
        "problem nothing is imported. The database must hold no content (desks, "
        "articles...) unless --replace is given. Users are matched by username: "
        "existing ones are updated, the others added."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an export (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the existing content first (in the same transaction); "
            "users not in the file are kept",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with backup.open_file(path, "r") as stream:
                header, counts = backup.import_content(
                    stream, replace=options["replace"]
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except backup.BackupError as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            f"Imported {path} (exported at {header.get('exported_at', '?')}):"
        )
        for label, count in counts.items():
            self.stdout.write(f"{count:>9}  {backup.kind(label)}")
