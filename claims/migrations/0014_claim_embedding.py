"""Each claim's sentence vector (`claims.similarity.embedding`), empty until computed: a claim's
next save computes it, `manage.py embed_claims` fills the rest."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_remove_pronoun_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="embedding",
            field=models.BinaryField(null=True),
        ),
    ]
