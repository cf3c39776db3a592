"""The benchmark's corpus, generated small: every table loaded, every stored count right, every
index back, as `make bench` needs them on a fresh database."""

import pytest
from django.db import connection

from bench.generate import BIG_TABLES, generate, secondary_indexes
from claims.models import Actor, Claim, ClaimRelation, Topic
from sources.models import Citation

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the corpus is loaded with PostgreSQL's COPY"
    ),
    # The generator commits, and ends with VACUUM, which no transaction may hold.
    pytest.mark.django_db(transaction=True),
]

SIZES = {"claims": 2_000, "actors": 1_000, "topics": 100, "sources": 300}


def stored_counts():
    return (
        list(
            Actor.objects.order_by("pk").values_list("pk", "claims_made_count", "accusations_received_count")
        ),
        list(Topic.objects.order_by("pk").values_list("pk", "claim_count")),
        list(Claim.objects.order_by("pk").values_list("pk", "counter_claim_count")),
    )


def test_a_small_corpus_has_every_row_count_and_index():
    with connection.cursor() as cursor:
        indexes = secondary_indexes(cursor, [model._meta.db_table for model in BIG_TABLES])

    generate(SIZES)

    assert Claim.objects.count() == SIZES["claims"]
    assert Actor.objects.count() == SIZES["actors"]
    assert Topic.objects.count() == SIZES["topics"]
    assert not Claim.objects.published().exclude(pk__in=Citation.objects.values("claim")).exists()
    assert ClaimRelation.objects.exists()
    generated = stored_counts()
    assert sum(made for _, made, _ in generated[0]) == Claim.objects.published().count()
    assert any(count for _, count in generated[2])
    Actor.objects.recount()
    Topic.objects.recount()
    Claim.objects.recount_counter_claims()
    assert stored_counts() == generated
    with connection.cursor() as cursor:
        assert secondary_indexes(cursor, [model._meta.db_table for model in BIG_TABLES]) == indexes
