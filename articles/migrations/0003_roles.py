"""Create the roles, Editors and Moderators, as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as they stood for this migration; a later change to a role needs
# a migration of its own. articles/workflow.py says what each permission allows.
EDIT = [
    "add_article",
    "change_article",
    "view_article",
    "submit_article",
    "add_section",
    "change_section",
    "delete_section",
    "view_section",
    "add_block",
    "change_block",
    "delete_block",
    "view_block",
    "view_desk",
]
ROLE_PERMISSIONS = {
    "Editors": EDIT,
    "Moderators": [*EDIT, "delete_article", "moderate_article"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
