"""Pronouns that accepting an imported article once learned as aliases ("it" for a ministry):
removed, so readers no longer see them and the importer no longer reads "it" as that actor. An
alias written in capitals ("US", "IT") is a name, not a pronoun, and is kept."""

from django.db import migrations

PRONOUNS = frozenset(
    [
        "i",
        "me",
        "we",
        "us",
        "you",
        "he",
        "him",
        "she",
        "her",
        "it",
        "they",
        "them",
        "this",
        "that",
        "these",
        "those",
        "who",
        "its",
        "his",
        "their",
        "our",
        "your",
    ]
)


def is_pronoun(alias):
    return alias.lower() in PRONOUNS and not (alias.isupper() and len(alias) > 1)


def remove_pronoun_aliases(apps, schema_editor):
    Actor = apps.get_model("claims", "Actor")
    for actor in Actor.objects.exclude(aliases="").only("pk", "aliases", "unpublished_aliases"):
        kept = [line for line in actor.aliases.splitlines() if not is_pronoun(line.strip())]
        unpublished = [
            line for line in actor.unpublished_aliases.splitlines() if not is_pronoun(line.strip())
        ]
        if kept != actor.aliases.splitlines():
            Actor.objects.filter(pk=actor.pk).update(
                aliases="\n".join(kept), unpublished_aliases="\n".join(unpublished)
            )


class Migration(migrations.Migration):
    dependencies = [("claims", "0012_actor_unpublished_aliases")]

    operations = [migrations.RunPython(remove_pronoun_aliases, migrations.RunPython.noop, elidable=True)]
