"""Loading a curated dataset (actors, topics, sources, claims) from YAML; see fixtures/README.md."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.choices import PublicationState
from claims.models import Actor, Claim, ClaimRelation, Topic

from .models import Citation, Source


class DatasetError(Exception):
    """The dataset cannot be loaded; the message says where and why, in one line."""


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    def __str__(self):
        kinds = ["actors", "topics", "sources", "claims", "citations", "relations"]
        created = ", ".join(f"{self.created[kind]} {kind}" for kind in kinds)
        updated = sum(self.updated.values())
        return f"Created {created}; updated {updated} existing records."


def load_dataset(path, *, user=None):
    """Load the YAML dataset at `path` in one transaction: all of it, or nothing."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DatasetError(f"cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise DatasetError(f"{path} is not valid YAML: {_one_line(error)}") from error
    if not isinstance(data, dict):
        raise DatasetError(f"{path} must hold a mapping with actors, topics, sources and claims")
    with transaction.atomic():
        return _Loader(data, articles_dir=path.parent / "articles", user=user).load()


def _field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _one_line(error):
    return " ".join(str(error).split())


class _Loader:
    def __init__(self, data, *, articles_dir, user):
        self.data = data
        self.articles_dir = articles_dir
        self.user = user
        self.summary = LoadSummary()
        self.actors = {}
        self.topics = {}
        self.sources = {}
        self.claims = {}

    def load(self):
        for index, entry in enumerate(self._entries("actors")):
            self._load_actor(f"actors[{index}]", entry)
        for index, entry in enumerate(self._entries("actors")):
            self._link_affiliation(f"actors[{index}]", entry)
        for index, entry in enumerate(self._entries("topics")):
            self._load_topic(f"topics[{index}]", entry)
        for index, entry in enumerate(self._entries("sources")):
            self._load_source(f"sources[{index}]", entry)
        for index, entry in enumerate(self._entries("claims")):
            self._load_claim(f"claims[{index}]", entry)
        for index, entry in enumerate(self._entries("claims")):
            self._load_relations(f"claims[{index}]", entry)
        return self.summary

    def _entries(self, key):
        entries = self.data.get(key) or []
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise DatasetError(f"{key} must be a list of mappings")
        return entries

    def _require(self, where, entry, key):
        value = entry.get(key)
        if value in (None, ""):
            raise DatasetError(f"{where}: {key} is required")
        return value

    def _lookup(self, where, key, slug, known):
        if slug not in known:
            raise DatasetError(f"{where}: {key} {slug!r} is not defined in this file")
        return known[slug]

    def _date(self, where, key, value):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise DatasetError(f"{where}: {key} {value!r} is not an ISO date (YYYY-MM-DD)") from None

    def _save(self, where, kind, instance, **full_clean_options):
        """Validate and save `instance`, unless it exists and loading changed none of its fields."""
        is_new = instance._state.adding
        if not is_new and _field_values(instance) == instance._values_as_loaded:
            return instance
        try:
            instance.full_clean(**full_clean_options)
        except ValidationError as error:
            messages = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
            raise DatasetError(f"{where} ({getattr(instance, 'slug', '')}): {messages}") from None
        instance.save()
        (self.summary.created if is_new else self.summary.updated)[kind] += 1
        return instance

    def _get_or_new(self, model, **lookup):
        instance = model.objects.filter(**lookup).first() or model(**lookup)
        instance._values_as_loaded = _field_values(instance)
        return instance

    def _aliases(self, entry):
        return "\n".join(str(alias) for alias in entry.get("aliases") or [])

    def _load_actor(self, where, entry):
        slug = self._require(where, entry, "slug")
        if slug in self.actors:
            raise DatasetError(f"{where}: slug {slug!r} is used twice")
        actor = self._get_or_new(Actor, slug=slug)
        actor.name = self._require(where, entry, "name")
        actor.kind = self._require(where, entry, "kind")
        actor.aliases = self._aliases(entry)
        actor.description = entry.get("description") or ""
        actor.wikidata_id = entry.get("wikidata_id") or ""
        self.actors[slug] = self._save(where, "actors", actor, exclude=["affiliation"])

    def _link_affiliation(self, where, entry):
        actor = self.actors[entry["slug"]]
        slug = entry.get("affiliation")
        affiliation = self._lookup(where, "affiliation", slug, self.actors) if slug else None
        if affiliation == actor:
            raise DatasetError(f"{where}: an actor cannot be affiliated with itself")
        if actor.affiliation != affiliation:
            actor.affiliation = affiliation
            actor.save(update_fields=["affiliation"])

    def _load_topic(self, where, entry):
        slug = self._require(where, entry, "slug")
        if slug in self.topics:
            raise DatasetError(f"{where}: slug {slug!r} is used twice")
        topic = self._get_or_new(Topic, slug=slug)
        topic.name = self._require(where, entry, "name")
        topic.aliases = self._aliases(entry)
        topic.description = entry.get("description") or ""
        self.topics[slug] = self._save(where, "topics", topic)

    def _load_source(self, where, entry):
        slug = self._require(where, entry, "slug")
        if slug in self.sources:
            raise DatasetError(f"{where}: slug {slug!r} is used twice")
        source = self._get_or_new(Source, slug=slug)
        source.kind = self._require(where, entry, "kind")
        source.title = self._require(where, entry, "title")
        source.outlet = entry.get("outlet") or ""
        source.author = entry.get("author") or ""
        source.url = entry.get("url") or ""
        source.archive_url = entry.get("archive_url") or ""
        source.published_on = self._date(where, "published_on", entry.get("published_on"))
        source.retrieved_on = self._date(where, "retrieved_on", entry.get("retrieved_on"))
        source.language = entry.get("language") or ""
        source.notes = entry.get("notes") or ""
        if entry.get("full_text_file"):
            article = self.articles_dir / entry["full_text_file"]
            try:
                source.full_text = article.read_text(encoding="utf-8")
            except OSError as error:
                raise DatasetError(f"{where}: cannot read {article}: {error.strerror}") from None
        self.sources[slug] = self._save(where, "sources", source)

    def _load_claim(self, where, entry):
        slug = self._require(where, entry, "slug")
        if slug in self.claims:
            raise DatasetError(f"{where}: slug {slug!r} is used twice")
        claim = self._get_or_new(Claim, slug=slug)
        claim.summary = self._require(where, entry, "summary")
        claim.quote = entry.get("quote") or ""
        claim.speaker = self._lookup(where, "speaker", self._require(where, entry, "speaker"), self.actors)
        claim.speaker_role = entry.get("speaker_role") or ""
        target = entry.get("target")
        claim.target = self._lookup(where, "target", target, self.actors) if target else None
        claim.kind = self._require(where, entry, "kind")
        claim.stated_on = self._date(where, "stated_on", self._require(where, entry, "stated_on"))
        claim.stated_on_precision = entry.get("date_precision") or "day"
        claim.attribution = entry.get("attribution") or "reported"
        claim.evidence_status = entry.get("evidence_status") or "unreviewed"
        claim.rationale = entry.get("rationale") or ""
        claim.status_change_reason = entry.get("status_change_reason") or ""
        if claim._state.adding:
            claim.created_by = self.user
            # Published once its citations exist: a published claim always has one.
            claim.publication_state = PublicationState.DRAFT
        claim.updated_by = self.user
        self.claims[slug] = self._save(where, "claims", claim)
        topics = [self._lookup(where, "topic", topic, self.topics) for topic in entry.get("topics") or []]
        claim.topics.set(topics)

        citations = entry.get("citations") or []
        if entry.get("published", False) and not citations:
            raise DatasetError(f"{where} ({slug}): a published claim needs at least one citation")
        for number, citation_entry in enumerate(citations):
            self._load_citation(f"{where}.citations[{number}]", claim, citation_entry)

        state = PublicationState.PUBLISHED if entry.get("published", False) else PublicationState.DRAFT
        if claim.publication_state != state:
            claim.publication_state = state
            claim.save()

    def _load_citation(self, where, claim, entry):
        source = self._lookup(where, "source", self._require(where, entry, "source"), self.sources)
        stance = entry.get("stance") or "reports"
        citation = self._get_or_new(Citation, claim=claim, source=source, stance=stance)
        citation.excerpt = entry.get("excerpt") or ""
        citation.locator = entry.get("locator") or ""
        self._save(where, "citations", citation)

    def _load_relations(self, where, entry):
        from_claim = self.claims[entry["slug"]]
        for number, relation_entry in enumerate(entry.get("relations") or []):
            here = f"{where}.relations[{number}]"
            to_claim = self._lookup(here, "claim", self._require(here, relation_entry, "claim"), self.claims)
            relation_type = self._require(here, relation_entry, "type")
            if not ClaimRelation.objects.filter(
                from_claim=from_claim, to_claim=to_claim, relation_type=relation_type
            ).exists():
                relation = ClaimRelation(
                    from_claim=from_claim, to_claim=to_claim, relation_type=relation_type
                )
                self._save(here, "relations", relation)
