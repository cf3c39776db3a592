"""A GIN trigram index on claims' summaries, for `Claim.objects.similar_to` (`summary % text`).
On SQLite it is a plain index on the summary: the operator class is PostgreSQL's."""

import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_longest_texts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["summary"], name="claim_summary_trigrams", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
