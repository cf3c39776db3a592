"""Every public page's work is bounded by what it shows, not by the size of the record: with a few
thousand claims in one topic, by one speaker, against one target, every query that reads claims
stops after a page of them (a LIMIT), or reads claims named by their ids or a range of ids. (How
long the pages take at a million claims is `make bench`'s to say.)"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.choices import ClaimKind, PublicationState, RelationType
from claims.models import Actor, Claim, ClaimRelation, Topic
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db

CLAIMS = 3_000


@pytest.fixture
def large_record():
    """CLAIMS published claims by one speaker against one target, all about one topic, every
    fifth disputing the claim before it; written in bulk, then counted as writes would count them."""
    speaker = Actor.objects.create(name="Prolific Speaker", kind="person")
    target = Actor.objects.create(name="Frequent Target", kind="state")
    topic = Topic.objects.create(name="Crowded Topic")
    source = Source.objects.create(title="A wire story", url="https://example.org/story")
    now = timezone.now()
    first_day = datetime.date(2010, 1, 1)
    Claim.objects.bulk_create(
        Claim(
            summary=f"The speaker accused the target of breach number {number} of the treaty.",
            slug=f"claim-{number}",
            speaker=speaker,
            target=target,
            kind=ClaimKind.ACCUSATION,
            stated_on=first_day + datetime.timedelta(days=number),
            publication_state=PublicationState.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=number),
        )
        for number in range(CLAIMS)
    )
    claims = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    Citation.objects.bulk_create(Citation(claim_id=pk, source=source) for pk in claims)
    Claim.topics.through.objects.bulk_create(Claim.topics.through(claim_id=pk, topic=topic) for pk in claims)
    ClaimRelation.objects.bulk_create(
        ClaimRelation(from_claim_id=later, to_claim_id=earlier, relation_type=RelationType.DISPUTES)
        for earlier, later in zip(claims[::5], claims[1::5], strict=False)
    )
    Actor.objects.recount()
    Topic.objects.recount()
    Claim.objects.recount_counter_claims()
    return {
        "speaker": speaker,
        "topic": topic,
        "source": source,
        "claim": Claim.objects.get(pk=claims[CLAIMS // 2]),
    }


def outer_statement(sql):
    """`sql` without its subqueries and its joins' ON conditions: what decides how many rows the
    statement itself reads."""
    outer, depth, position = [], 0, 0
    for match in re.finditer(r"\((?=SELECT )|\bON \(|\(|\)", sql):
        token = match.group()
        if depth == 0 and token in ("(", ")"):
            continue
        if depth == 0:
            outer.append(sql[position : match.start()])
            depth = 1
        elif token != ")":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                position = match.end()
    if depth == 0:
        outer.append(sql[position:])
    return "".join(outer)


def reads_every_claim(sql):
    """Whether a statement reads the claims table without a LIMIT, a list of ids or a range of
    them to stop it (in the statement itself, not in a subquery or a join's condition)."""
    outer = outer_statement(sql)
    if '"claims_claim"' not in outer or sql.startswith(("SAVEPOINT", "RELEASE")):
        return False
    keyed = re.search(r'"(?:claims|sources)_\w+"\."(?:id|\w*claim_id|slug)" (?:= |IN |> )', outer)
    return "LIMIT" not in outer and not keyed


def test_the_check_tells_a_page_of_claims_from_all_of_them():
    topic = Topic(pk=1)
    published = Claim.objects.published()
    every_claim_of_the_topic = published.about(topic).with_relations().order_by("-stated_on")
    assert reads_every_claim(str(every_claim_of_the_topic.query))
    assert not reads_every_claim(str(every_claim_of_the_topic[:50].query))
    assert not reads_every_claim(str(published.filter(pk__in=[1, 2]).query))
    assert not reads_every_claim(str(published.filter(pk__in=published.values("pk")[:5]).query))
    assert reads_every_claim(str(published.filter(summary__icontains="treaty").query))


def public_urls(record):
    speaker, topic, claim = record["speaker"], record["topic"], record["claim"]
    return [
        reverse("claims:home"),
        reverse("claims:claim-list"),
        reverse("claims:claim-list") + "?q=breach+treaty",
        reverse("claims:claim-list") + f"?speaker={speaker.slug}&before=2012-01-01:{claim.pk}",
        reverse("claims:claim-list") + f"?speaker={speaker.slug}&after=2012-01-01:{claim.pk}",
        reverse("claims:claim-list") + "?speaker=prolific&year=2012",
        claim.get_absolute_url(),
        speaker.get_absolute_url(),
        speaker.get_absolute_url() + f"?made_before=2012-01-01:{claim.pk}",
        speaker.get_absolute_url() + f"?against_after=2012-01-01:{claim.pk}",
        topic.get_absolute_url(),
        topic.get_absolute_url() + f"?before=2012-01-01:{claim.pk}",
        topic.get_absolute_url() + f"?after=2012-01-01:{claim.pk}",
        reverse("claims:topic-list"),
        reverse("sitemap"),
        "/sitemap-claims.xml",
        reverse("claims:feed"),
        reverse("claims:topic-feed", args=[topic.slug]),
        record["source"].get_absolute_url(),
        # The readers' indexes (the charts are on the claim's, actor's, topic's and home pages).
        reverse("claims:actor-list") + "?sort=accusations&q=prolific",
        reverse("sources:source-list"),
        reverse("claims:corrections"),
    ]


def test_no_public_page_reads_every_claim(client, large_record):
    for url in public_urls(large_record):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        unbounded = [query["sql"] for query in queries.captured_queries if reads_every_claim(query["sql"])]
        assert unbounded == [], url
