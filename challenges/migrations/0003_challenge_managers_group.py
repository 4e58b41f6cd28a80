from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Challenge managers"
MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("challenges", "challenge", "add_challenge"),
    ("challenges", "challenge", "change_challenge"),
    ("challenges", "challenge", "view_challenge"),
    ("challenges", "region", "view_region"),
]
# Images and documents are permissioned per collection in Wagtail.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "choose_document"]),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrations; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in MODEL_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for app_label, model, codenames in COLLECTION_PERMISSIONS:
        for codename in codenames:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            ).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root, permission=permission
                )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0002_load_regions"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
