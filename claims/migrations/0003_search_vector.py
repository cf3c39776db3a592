"""A stored full-text search vector on claims, kept up to date by PostgreSQL triggers.

A claim's vector holds its summary and its speaker's name and aliases (weight A) and its quote
(weight B). The claim trigger recomputes it whenever a claim is written; the actor trigger rewrites
an actor's claims when their name or aliases change. SQLite gets the (empty) column only: search
there falls back to matching words with LIKE.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

CREATE = """
CREATE FUNCTION claim_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'A')
        || setweight(to_tsvector('english', coalesce(
            (SELECT name || ' ' || aliases FROM claims_actor WHERE id = NEW.speaker_id), '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'B');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claim_search_vector
    BEFORE INSERT OR UPDATE OF summary, quote, speaker_id ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claim_search_vector();

CREATE FUNCTION actor_refresh_claim_search_vectors() RETURNS trigger AS $$
BEGIN
    UPDATE claims_claim SET speaker_id = speaker_id WHERE speaker_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER actor_refresh_claim_search_vectors
    AFTER UPDATE OF name, aliases ON claims_actor
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.aliases IS DISTINCT FROM NEW.aliases)
    EXECUTE FUNCTION actor_refresh_claim_search_vectors();

UPDATE claims_claim SET speaker_id = speaker_id;
"""

DROP = """
DROP TRIGGER IF EXISTS actor_refresh_claim_search_vectors ON claims_actor;
DROP FUNCTION IF EXISTS actor_refresh_claim_search_vectors();
DROP TRIGGER IF EXISTS claim_search_vector ON claims_claim;
DROP FUNCTION IF EXISTS claim_search_vector();
"""


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_editors_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="claim_search_vector"
            ),
        ),
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
