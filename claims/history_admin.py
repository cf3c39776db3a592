"""A claim's history page lists the changes of its citations and relations too: they are edited on
the claim's page."""

from typing import NamedTuple

from django.db.models import Q
from django.utils.text import Truncator, capfirst

from .models import (
    Claim,
    ClaimRelation,
    citation_model,
)

# The sources app declares citations and sources, building on this one: reached through the claim's
# relation rather than an import.
Citation = citation_model()
Source = Citation._meta.get_field("source").related_model


class RelatedChange(NamedTuple):
    """One change of a claim's citation or relation, as the claim's history page lists it."""

    record: object  # the historical Citation or ClaimRelation: who, when, created/changed/deleted, why
    what: str
    changes: list


def citation_and_relation_changes(claim_id):
    """Every change of every citation and relation the claim has had, newest first. Four queries,
    however many changes: the two histories, then the names of the sources and claims they name."""
    if not str(claim_id).isdecimal():
        return []
    # By record id, so a citation or relation moved to another claim keeps its whole story here.
    citation_ids = Citation.history.filter(claim_id=claim_id).values("id")
    touching_the_claim = Q(from_claim_id=claim_id) | Q(to_claim_id=claim_id)
    relation_ids = ClaimRelation.history.filter(touching_the_claim).values("id")
    citations = list(Citation.history.filter(id__in=citation_ids).select_related("history_user"))
    relations = list(ClaimRelation.history.filter(id__in=relation_ids).select_related("history_user"))
    sources = Source.objects.in_bulk({citation.source_id for citation in citations})
    claims = Claim.objects.in_bulk(
        {citation.claim_id for citation in citations}
        | {relation.from_claim_id for relation in relations}
        | {relation.to_claim_id for relation in relations}
    )
    names = {
        Source: {pk: source.title for pk, source in sources.items()},
        Claim: {pk: f"“{Truncator(claim.summary).words(12)}”" for pk, claim in claims.items()},
    }
    records = sorted([*citations, *relations], key=lambda record: (record.history_date, record.history_id))
    previous_versions = {}
    rows = []
    for record in records:
        previous = previous_versions.get((type(record), record.id))
        previous_versions[type(record), record.id] = record
        changes = [] if previous is None else changed_values(record, previous, names)
        rows.append(RelatedChange(record, describe_related_record(record, int(claim_id), names), changes))
    return rows[::-1]


def describe_related_record(record, claim_id, names):
    """ "Citation: <source> (reports)" or "Relation: this claim disputes “…”"."""
    if isinstance(record, Citation.history.model):
        source = names[Source].get(record.source_id, f"source #{record.source_id} (deleted)")
        return f"Citation: {source} ({record.get_stance_display().lower()})"

    def claim(claim_id_in_record):
        if claim_id_in_record == claim_id:
            return "this claim"
        return names[Claim].get(claim_id_in_record, f"claim #{claim_id_in_record} (deleted)")

    relation = record.get_relation_type_display().lower()
    return f"Relation: {claim(record.from_claim_id)} {relation} {claim(record.to_claim_id)}"


def changed_values(record, previous, names):
    """What `record` changed since `previous`: [{"field", "old", "new"}], in words."""

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if field.is_relation:
            return names[field.related_model].get(value, f"#{value} (deleted)")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return Truncator(value).chars(80)

    return [
        {
            "field": capfirst(field.verbose_name),
            "old": shown(field, change.old),
            "new": shown(field, change.new),
        }
        for change in record.diff_against(previous).changes
        for field in [record._meta.get_field(change.field)]
    ]
