"""A researcher's replica, kept with the README's sync code, equals a fresh full pull after every
step of an editor's week: nothing that changes what a claim shows is missed."""

import datetime
import re
import sys
import types

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from claims import operations
from claims.models import Claim, ClaimTombstone
from claims.operations import merge_claims
from sources.tests.factories import SourceFactory

from .factories import ActorFactory, TopicFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def readme_sync_code():
    """The README's sync snippet, up to where it starts using its functions."""
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    [block] = [block for block in blocks if "def sync(" in block]
    return block.split("\nclaims = {}")[0]


class RequestsOverTheTestClient(types.ModuleType):
    """`requests.get` as the snippet calls it, answered by the app through Django's test client."""

    def __init__(self, client):
        super().__init__("requests")
        self.client = client

    def get(self, url, params=None, timeout=None):
        response = self.client.get(url.replace("http://testserver", ""), params or {})
        assert response.status_code == 200, response.content
        return response


@pytest.fixture
def clock(monkeypatch):
    """Now, as the app sees it: each step of the week happens a day after the last."""
    moment = [datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])

    def next_day():
        moment[0] += datetime.timedelta(days=1)

    return next_day


@pytest.fixture
def researcher(monkeypatch):
    monkeypatch.setitem(sys.modules, "requests", RequestsOverTheTestClient(APIClient()))
    namespace = {}
    exec(readme_sync_code(), namespace)
    namespace["API"] = f"http://testserver{API}/"
    return namespace


def test_a_replica_kept_by_the_readme_sync_equals_a_full_pull_through_an_editors_week(
    editor, clock, researcher
):
    editor_api = APIClient()
    editor_api.force_authenticate(editor)

    def write(method, path, data, status=(200, 201, 204)):
        response = getattr(editor_api, method)(f"{API}/{path}", data, format="json")
        assert response.status_code in status, response.content
        return response.json() if response.content else None

    speaker = ActorFactory(name="Alexander Grushko", slug="alexander-grushko")
    target = ActorFactory(name="United States", slug="united-states", kind="state")
    topic = TopicFactory(name="Open Skies Treaty", slug="open-skies-treaty")
    source = SourceFactory(title="Grushko on the treaty")
    replica, since = {}, None

    def new_claim(summary):
        claim = write(
            "post",
            "claims/",
            {
                "summary": summary,
                "speaker": speaker.slug,
                "target": target.slug,
                "kind": "accusation",
                "stated_on": "2020-05-21",
                "topics": [topic.slug],
                "confirm_not_duplicate": True,
            },
        )
        write("post", "citations/", {"claim": claim["id"], "source": source.pk, "excerpt": summary})
        write("patch", f"claims/{claim['id']}/", {"publication_state": "published"})
        return claim["id"]

    def step(change):
        nonlocal since
        if bystander is not None:
            # A day's edit of another claim first: the sync after it starts past every earlier
            # change, so the next change reaches the replica only if it moves what it changes.
            clock()
            write(
                "patch", f"claims/{bystander}/", {"summary": f"An unrelated claim, as of {timezone.now()}."}
            )
            since = researcher["sync"](replica, since)
        clock()
        change()
        since = researcher["sync"](replica, since)
        fresh = {claim["id"]: claim for claim in researcher["pull"]("claims/")}
        assert replica == fresh, change.__name__

    accusation, answer, bystander = None, None, None

    def create():
        nonlocal accusation, answer, bystander
        accusation = new_claim("The United States violated the treaty.")
        answer = new_claim("Washington's flights broke the treaty's rules.")
        bystander = new_claim("An unrelated claim.")

    def edit():
        write("patch", f"claims/{accusation}/", {"summary": "The United States broke the treaty."})

    def cite():
        other = SourceFactory(title="A second report")
        write("post", "citations/", {"claim": accusation, "source": other.pk, "stance": "supports"})

    def relate():
        write(
            "post",
            "relations/",
            {"from_claim": answer, "to_claim": accusation, "relation_type": "responds_to"},
        )

    def review():
        write(
            "patch",
            f"claims/{accusation}/",
            {"evidence_status": "disputed", "rationale": "Denied by the accused; no evidence cited."},
        )

    def unpublish():
        write("patch", f"claims/{accusation}/", {"publication_state": "draft"})

    def republish():
        write("patch", f"claims/{accusation}/", {"publication_state": "published"})

    def rename_the_speaker():
        speaker.name = "Alexander V. Grushko"
        speaker.save()

    def rename_the_topic():
        topic.name = "Treaty on Open Skies"
        topic.save()

    def retitle_the_source():
        source.title = "Grushko on the Open Skies Treaty"
        source.save()

    duplicate = None

    def add_a_duplicate():
        nonlocal duplicate
        duplicate = new_claim("The United States has violated the treaty.")

    def merge_the_duplicate():
        merge_claims(Claim.objects.get(pk=accusation), Claim.objects.get(pk=duplicate), by=editor)

    def remove_the_relation():
        relation = Claim.objects.get(pk=answer).relations_from.get()
        write("delete", f"relations/{relation.pk}/", None)

    for change in [
        create,
        edit,
        cite,
        relate,
        review,
        unpublish,
        republish,
        rename_the_speaker,
        rename_the_topic,
        retitle_the_source,
        add_a_duplicate,
        merge_the_duplicate,
        remove_the_relation,
        unpublish,
    ]:
        step(change)
    assert set(replica) == {answer, bystander}
    assert ClaimTombstone.objects.get(claim_id=accusation).state == "withdrawn"
    assert ClaimTombstone.objects.get(claim_id=duplicate).merged_into_id == accusation


def test_tombstones_list_withdrawn_claims_oldest_first_and_since_a_moment(clock):
    from .factories import PublishedClaimFactory

    first, second = PublishedClaimFactory(), PublishedClaimFactory()
    operations.unpublish(first)
    clock()
    operations.unpublish(second)
    api = APIClient()
    listed = api.get(f"{API}/tombstones/").json()["results"]
    assert [(row["id"], row["state"], row["merged_into"]) for row in listed] == [
        (first.pk, "withdrawn", None),
        (second.pk, "withdrawn", None),
    ]
    since = api.get(f"{API}/tombstones/", {"updated_since": listed[1]["removed_at"]}).json()["results"]
    assert [row["id"] for row in since] == [second.pk]
    assert "summary" not in listed[0]  # a tombstone tells nothing of what the claim said
