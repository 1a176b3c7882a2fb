"""Where a bulk import's worker process starts (`bulk.run` with jobs > 1).

A new process, not a copy of the parent: it imports nothing of Django's
models before Django is set up, so the job arrives as a plain dict.
"""

import os


def start(job: dict, parent: int, save: bool, databases: dict) -> None:
    """Set up Django on the databases the parent uses (under tests, the test
    database rather than the one the settings name), then the job."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.conf import settings
    from django.db import connections

    for alias, settings_dict in databases.items():
        settings.DATABASES[alias] = settings_dict
        connections[alias].settings_dict = settings_dict
    from . import bulk

    job["resume"] = frozenset(job["resume"])
    bulk._start(bulk.Job(**job), parent, save)
