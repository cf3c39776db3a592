from django.contrib.auth.management import create_permissions
from django.db import migrations

# What an editor may do, model by model. Claims, actors, topics and sources are unpublished or
# corrected rather than deleted, so their history stays whole; citations and relations are rows an
# editor adds and removes on the claim's page.
EDITOR_PERMISSIONS = {
    "claims": {
        "actor": ["add", "change", "view"],
        "topic": ["add", "change", "view"],
        "claim": ["add", "change", "view"],
        "claimrelation": ["add", "change", "delete", "view"],
        "evidencestatuschange": ["view"],
    },
    "sources": {
        "source": ["add", "change", "view"],
        "citation": ["add", "change", "delete", "view"],
    },
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            assert permissions.count() == len(codenames), (app_label, model)
            editors.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
