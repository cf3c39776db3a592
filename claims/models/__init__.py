"""The claims app's models: the records claims name (`records`), a claim and what hangs on it
(`claim`), their reads (`querysets`, with `search` for finding claims by their words), and the plain
text helpers they share (`text`)."""

from .base import LONG_TEXT, ShownInClaims, StoredCounts
from .claim import (
    CITATION_RULE,
    PUBLISHED_CLAIM_NEEDS_A_CITATION,
    REVERT_NOTE,
    Claim,
    ClaimRelation,
    ClaimTombstone,
    EvidenceStatusChange,
    MergedRecord,
    UnrecordedStateChange,
)
from .querysets import (
    SIMILAR_CLAIMS_LIMIT,
    ActorQuerySet,
    ClaimQuerySet,
    PublicRecordQuerySet,
    TopicQuerySet,
    citation_model,
    citations_in_order,
    count_of,
)
from .records import WIKIDATA_ID_PATTERN, Actor, Topic

# The similar-claims engine (`claims.similarity.ranking`) reads the search's words and text measures.
from .search import SEARCH_CONFIG, _difflib_similarity, _query_words, _trigram_similarity, text_similarity
from .text import SLUG_STOP_WORDS, claim_slug_text, importer_aliases, plain_name, split_aliases, unique_slug

__all__ = [
    "CITATION_RULE",
    "LONG_TEXT",
    "PUBLISHED_CLAIM_NEEDS_A_CITATION",
    "REVERT_NOTE",
    "SEARCH_CONFIG",
    "SIMILAR_CLAIMS_LIMIT",
    "SLUG_STOP_WORDS",
    "WIKIDATA_ID_PATTERN",
    "Actor",
    "ActorQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ClaimRelation",
    "ClaimTombstone",
    "EvidenceStatusChange",
    "MergedRecord",
    "PublicRecordQuerySet",
    "ShownInClaims",
    "StoredCounts",
    "Topic",
    "TopicQuerySet",
    "UnrecordedStateChange",
    "_difflib_similarity",
    "_query_words",
    "_trigram_similarity",
    "citation_model",
    "citations_in_order",
    "claim_slug_text",
    "count_of",
    "importer_aliases",
    "plain_name",
    "split_aliases",
    "text_similarity",
    "unique_slug",
]
