"""Load demo desks, articles and accounts, for trying Newsroom out on a laptop."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from articles import services, workflow
from articles.demo import DEMO_ACCOUNTS, DEMO_ARTICLES, DESKS
from articles.models import Article, Desk
from articles.snapshot import ARTICLE_FIELDS

QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
# The sample article's tables name no source, and none is invented for them.
DEMO_OVERRIDE = "Demo content: the sample article names no source for its tables."


class Command(BaseCommand):
    help = "Load demo desks, articles and accounts (DEBUG only). Safe to run again."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates accounts with published passwords, so it only "
                "runs with DEBUG=1 (a development machine)."
            )
        # The demo's own submissions and approvals email nobody. Emails go
        # once the transaction commits, so the quiet backend must outlast it.
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL), transaction.atomic():
            users = self.load_accounts()
            desks = self.load_desks()
            created = sum(
                self.load_article(data, desks, users["editor"], users["moderator"])
                for data in DEMO_ARTICLES
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
        users = {}
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={
                    "is_staff": True,
                    "is_superuser": account["group"] is None,
                    "email": account["email"],
                },
            )
            if created:
                user.set_password(account["password"])
                user.save()
                if account["group"]:
                    user.groups.add(Group.objects.get(name=account["group"]))
            users[account["username"]] = user
        return users

    def load_desks(self):
        desks = {}
        for data in DESKS:
            desks[data["slug"]], _ = Desk.objects.get_or_create(
                slug=data["slug"], defaults=data
            )
        return desks

    def load_article(self, data, desks, editor, moderator) -> bool:
        """Write the article as the editor; the moderator approves it if asked."""
        desk = desks[data["desk"]]
        if Article.objects.filter(desk=desk, slug=data["slug"]).exists():
            return False
        article = Article.objects.create(
            desk=desk,
            slug=data["slug"],
            created_by=editor,
            **{key: data[key] for key in ARTICLE_FIELDS},
        )
        stored = services.write_body(article, data["sections"])
        workflow.revise(article, by=editor, note="Demo content", sections=stored)
        if data["publish"]:
            workflow.submit(article, by=editor)
            workflow.approve(article, by=moderator, override_reason=DEMO_OVERRIDE)
        return True
