import datetime
import importlib

import factory
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import counts, operations
from claims.choices import ActorKind, ClaimKind, EvidenceStatus, PublicationState, RelationType
from claims.models import Actor, Claim, ClaimRelation, Topic

EDITORS_GROUP_MIGRATION = importlib.import_module("claims.migrations.0002_editors_group")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-passphrase")


class EditorFactory(UserFactory):
    """A staff user in the Editors group, as `create_editor` makes them."""

    is_staff = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            if not Group.objects.filter(name="Editors").exists():
                # A transactional test's flush empties the tables the data migration filled.
                EDITORS_GROUP_MIGRATION.create_editors_group(django_apps, None)
            self.groups.add(Group.objects.get(name="Editors"))


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = ActorKind.PERSON


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    """A draft claim; use PublishedClaimFactory for one with a citation that readers see."""

    class Meta:
        model = Claim
        skip_postgeneration_save = True

    summary = factory.Sequence(lambda n: f"Someone said thing number {n}.")
    speaker = factory.SubFactory(ActorFactory)
    kind = ClaimKind.ASSERTION
    stated_on = datetime.date(2020, 5, 21)
    evidence_status = EvidenceStatus.UNREVIEWED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @classmethod
    def _after_postgeneration(cls, claim, create, results=None):
        # Written as a whole, as a file or a form would write it: the counts it is in, counted.
        if create:
            counts.recount(*counts.counted_in([claim.pk]))


class PublishedClaimFactory(ClaimFactory):
    publication_state = PublicationState.PUBLISHED
    citation = factory.RelatedFactory("sources.tests.factories.CitationFactory", factory_related_name="claim")


class ClaimRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    from_claim = factory.SubFactory(ClaimFactory)
    to_claim = factory.SubFactory(ClaimFactory)
    relation_type = RelationType.DISPUTES

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        relation = model_class(*args, **kwargs)
        operations.save_relation(relation)
        return relation
