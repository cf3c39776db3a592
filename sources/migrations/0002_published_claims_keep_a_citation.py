"""On PostgreSQL, the database itself refuses a published claim without a citation.

The rule spans two tables, so it is a deferred constraint trigger: checked at commit, once the claim
and its citations are all written. SQLite has no such triggers; there the admin form, the bulk
action and the dataset loader check the rule.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION published_claim_has_citation() RETURNS trigger AS $$
DECLARE
    checked_claim bigint;
BEGIN
    IF TG_TABLE_NAME = 'claims_claim' THEN
        checked_claim := NEW.id;
    ELSE
        checked_claim := OLD.claim_id;
    END IF;
    IF EXISTS (SELECT 1 FROM claims_claim WHERE id = checked_claim AND publication_state = 'published')
       AND NOT EXISTS (SELECT 1 FROM sources_citation WHERE claim_id = checked_claim) THEN
        RAISE EXCEPTION 'published claim % has no citation', checked_claim
            USING ERRCODE = 'check_violation', CONSTRAINT = 'published_claim_has_citation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER published_claim_has_citation
    AFTER INSERT OR UPDATE OF publication_state ON claims_claim
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION published_claim_has_citation();

CREATE CONSTRAINT TRIGGER citation_removal_keeps_published_claim_cited
    AFTER DELETE OR UPDATE OF claim_id ON sources_citation
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION published_claim_has_citation();
"""

DROP = """
DROP TRIGGER IF EXISTS citation_removal_keeps_published_claim_cited ON sources_citation;
DROP TRIGGER IF EXISTS published_claim_has_citation ON claims_claim;
DROP FUNCTION IF EXISTS published_claim_has_citation();
"""


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no parameters: the % in RAISE is literal

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_editors_group"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
