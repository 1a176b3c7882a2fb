"""Load demo desks, articles and accounts, for trying Newsroom out on a laptop."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import revisions, services, workflow
from articles.demo import DEMO_ACCOUNTS, DEMO_ARTICLES, DESKS, EDITOR_PERMISSIONS
from articles.models import Article, Desk


class Command(BaseCommand):
    help = "Load demo desks, articles and accounts (DEBUG only). Safe to run again."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it only "
                "runs with DEBUG=1 (a development machine)."
            )
        with transaction.atomic():
            users = self.load_accounts()
            desks = self.load_desks()
            created = sum(
                self.load_article(data, desks, users["admin"]) for data in DEMO_ARTICLES
            )
        self.stdout.write(
            f"Demo content ready: {len(desks)} desks, {created} new article(s) "
            f"({len(DEMO_ARTICLES) - created} already there)."
        )
        self.stdout.write("Demo accounts (for this machine only):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account['username']} / {account['password']}  ({account['role']})"
            )

    def load_accounts(self):
        User = get_user_model()
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
        users = {}
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={"is_staff": True, "is_superuser": account["superuser"]},
            )
            if created:
                user.set_password(account["password"])
                user.save()
                if not account["superuser"]:
                    user.user_permissions.set(permissions)
            users[account["username"]] = user
        return users

    def load_desks(self):
        return {
            data["slug"]: Desk.objects.get_or_create(slug=data["slug"], defaults=data)[
                0
            ]
            for data in DESKS
        }

    def load_article(self, data, desks, admin) -> bool:
        desk = desks[data["desk"]]
        if Article.objects.filter(desk=desk, slug=data["slug"]).exists():
            return False
        article = Article.objects.create(
            desk=desk,
            slug=data["slug"],
            **{
                key: data[key]
                for key in ("title", "standfirst", "byline", "source_credit")
            },
        )
        services.replace_body(article, data["sections"])
        revisions.create_revision(article, author=admin, note="Demo content")
        if data["publish"]:
            workflow.publish(article, by=admin)
        return True
