"""Record scheduled articles whose time has come; run it every minute (cron)."""

from django.core.management.base import BaseCommand

from articles import notifications, workflow


class Command(BaseCommand):
    help = (
        "Mark scheduled articles whose publication time has passed as published and "
        "tell their authors. Readers see them at their time anyway: the public "
        "pages filter on it. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        published = workflow.go_live_due()
        for article in published:
            notifications.went_live(article)
            self.stdout.write(f"Published as scheduled: {article.title}")
        if not published:
            self.stdout.write("Nothing was due.")
