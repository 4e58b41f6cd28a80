from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Challenge managers"
CODENAMES = ["add_cohort", "change_cohort", "view_cohort", "delete_cohort"]


def grant(apps, schema_editor):
    """Challenge managers run their challenges' incubation cohorts in the admin."""
    app_config = apps.get_app_config("incubation")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="incubation", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="incubation", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("incubation", "0001_initial"),
        ("challenges", "0003_challenge_managers_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
