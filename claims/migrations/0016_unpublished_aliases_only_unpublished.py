from django.db import migrations


def split(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def keep_unpublished_spellings_out_of_aliases(apps, schema_editor):
    """A spelling learned from an imported article was written to both `aliases` and
    `unpublished_aliases`; it lives in `unpublished_aliases` only until a published claim quotes it."""
    Actor = apps.get_model("claims", "Actor")
    for actor in Actor.objects.exclude(unpublished_aliases="").only("aliases", "unpublished_aliases"):
        unpublished = set(split(actor.unpublished_aliases))
        actor.aliases = "\n".join(alias for alias in split(actor.aliases) if alias not in unpublished)
        actor.save(update_fields=["aliases"])


def write_unpublished_spellings_to_aliases_too(apps, schema_editor):
    Actor = apps.get_model("claims", "Actor")
    for actor in Actor.objects.exclude(unpublished_aliases="").only("aliases", "unpublished_aliases"):
        aliases = split(actor.aliases)
        actor.aliases = "\n".join(aliases + [s for s in split(actor.unpublished_aliases) if s not in aliases])
        actor.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_status_change_corrections"),
    ]

    operations = [
        migrations.RunPython(
            keep_unpublished_spellings_out_of_aliases, write_unpublished_spellings_to_aliases_too
        ),
    ]
