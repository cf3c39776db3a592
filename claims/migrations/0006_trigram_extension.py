"""pg_trgm on PostgreSQL, for the similarity of claims (`Claim.objects.likely_duplicates_of`).
Django's extension operations do nothing on other databases."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_tombstones_and_merged_records"),
    ]

    operations = [TrigramExtension()]
