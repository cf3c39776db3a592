from django.db import migrations, models

# Each kind of record the loader writes, and its history's model.
HISTORIES = {
    "actors": ("claims", "HistoricalActor"),
    "topics": ("claims", "HistoricalTopic"),
    "claims": ("claims", "HistoricalClaim"),
    "relations": ("claims", "HistoricalClaimRelation"),
    "sources": ("sources", "HistoricalSource"),
    "citations": ("sources", "HistoricalCitation"),
}


def note_the_history_the_loader_left(apps, schema_editor):
    """For the records the loader wrote before it kept `history_id`: the last entry it wrote or
    saw, which is the last before the first later entry whose reason it did not write (the loader's
    own reasons say "Dataset ...")."""
    DatasetRecord = apps.get_model("sources", "DatasetRecord")
    for record in DatasetRecord.objects.all():
        history = apps.get_model(*HISTORIES[record.kind])
        entries = (
            history.objects.filter(id=record.object_id)
            .order_by("history_id")
            .values_list("history_id", "history_date", "history_change_reason")
        )
        last_seen = None
        for history_id, date, reason in entries:
            if date > record.written_at and not (reason or "").startswith("Dataset "):
                break
            last_seen = history_id
        record.history_id = last_seen
        record.save(update_fields=["history_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_unpublished_aliases_only_unpublished"),
        ("sources", "0006_source_full_text_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="datasetrecord",
            name="history_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(note_the_history_the_loader_left, migrations.RunPython.noop),
    ]
