"""Loading a curated dataset (actors, topics, sources, claims) from YAML; see fixtures/README.md.

Loading again never undoes an editor's work. Every record the loader writes is noted in a
`DatasetRecord` with a fingerprint of the values it wrote. On the next load, a record whose values
still match its fingerprint is untouched and takes the dataset's corrections; a record that an
editor changed, deleted or created under a dataset slug is left as it is and reported, unless the
load is asked to `overwrite_edited`, which replaces it and says so in its history.
"""

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator

from claims.choices import Attribution, DatePrecision, EvidenceStatus, PublicationState
from claims.history import save_with_history
from claims.models import Actor, Claim, ClaimRelation, MergedRecord, Topic
from claims.operations import edit_claim, save_relation

from .models import Citation, CitationStance, DatasetRecord, Source

KINDS = ["actors", "topics", "sources", "claims", "citations", "relations"]


class DatasetError(Exception):
    """The dataset cannot be loaded; the message says where and why, in one line."""


class Decision(Enum):
    CREATE = "create"
    UPDATE = "update"  # untouched since the dataset wrote it: take the dataset's values
    SAME = "same"  # already holds the dataset's values
    EDITED = "edited"  # changed by an editor since the dataset wrote it
    DELETED = "deleted"  # written by the dataset, deleted or merged away since
    OVERWRITE = "overwrite"  # edited, and the load was asked to replace it


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    overwritten: list = field(default_factory=list)  # "claim x: summary 'a' → 'b'"
    kept: list = field(default_factory=list)  # "claim x (changed by an editor: summary)"

    def __str__(self):
        created = ", ".join(f"{self.created[kind]} {kind}" for kind in KINDS)
        updated = sum(self.updated.values())
        line = f"Created {created}; updated {updated} existing records"
        if self.overwritten:
            line += f"; overwrote {len(self.overwritten)} records editors had changed"
        if self.kept:
            line += (
                f"; kept {len(self.kept)} records editors changed (load with --overwrite-edited to "
                "replace them)"
            )
        return line + "."


def load_dataset(path, *, user=None, overwrite_edited=False):
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
    loader = _Loader(
        data,
        name=path.name,
        articles_dir=path.parent / "articles",
        user=user,
        overwrite_edited=overwrite_edited,
    )
    with transaction.atomic():
        return loader.load()


def _one_line(error):
    return " ".join(str(error).split())


def fingerprint(values):
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _shown(value):
    text = repr(str(value) if isinstance(value, str) else value)  # a choice as its plain value
    return text if len(text) <= 60 else f"{text[:57]}…'"


# The values the dataset manages on each kind of record, as comparable primitives (ids for links).
def actor_values(actor):
    return {
        "name": actor.name,
        "kind": actor.kind,
        "aliases": actor.aliases,
        "description": actor.description,
        "wikidata_id": actor.wikidata_id,
        "affiliation": actor.affiliation_id,
    }


def topic_values(topic):
    return {"name": topic.name, "aliases": topic.aliases, "description": topic.description}


SOURCE_FIELDS = [
    "kind",
    "title",
    "outlet",
    "author",
    "url",
    "archive_url",
    "published_on",
    "retrieved_on",
    "language",
    "notes",
    "full_text",
]


def source_values(source):
    return {name: getattr(source, name) for name in SOURCE_FIELDS}


CLAIM_FIELDS = [
    "summary",
    "quote",
    "speaker_id",
    "speaker_role",
    "target_id",
    "kind",
    "stated_on",
    "stated_on_precision",
    "attribution",
    "evidence_status",
    "rationale",
    "publication_state",
]


def claim_values(claim):
    values = {name: getattr(claim, name) for name in CLAIM_FIELDS}
    values["topics"] = sorted(claim.topics.values_list("pk", flat=True)) if claim.pk else []
    return values


def citation_values(citation):
    return {
        "claim_id": citation.claim_id,
        "source_id": citation.source_id,
        "stance": citation.stance,
        "excerpt": citation.excerpt,
        "locator": citation.locator,
    }


def relation_values(relation):
    return {}


def iso_date(value):
    """A date from a date or an ISO 8601 text ("2020-05-21"); None for none. ValueError for any
    other text."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


class _Loader:
    def __init__(self, data, *, name, articles_dir, user, overwrite_edited):
        self.data = data
        self.name = name
        self.articles_dir = articles_dir
        self.user = user
        self.overwrite_edited = overwrite_edited
        self.summary = LoadSummary()
        self.ledger = {(record.kind, record.key): record for record in DatasetRecord.objects.all()}
        self.actors = {}
        self.topics = {}
        self.sources = {}
        self.claims = {}
        self.claim_decisions = {}

    def load(self):
        actor_entries = self._entries("actors")
        self.actor_slugs = {entry.get("slug") for entry in actor_entries}
        decisions = {}
        for index, entry in enumerate(actor_entries):
            decisions[index] = self._load_actor(f"actors[{index}]", entry)
        for index, entry in enumerate(actor_entries):
            self._link_affiliation(f"actors[{index}]", entry, decisions[index])
        for index, entry in enumerate(self._entries("topics")):
            self._load_topic(f"topics[{index}]", entry)
        for index, entry in enumerate(self._entries("sources")):
            self._load_source(f"sources[{index}]", entry)
        for index, entry in enumerate(self._entries("claims")):
            self._load_claim(f"claims[{index}]", entry)
        for index, entry in enumerate(self._entries("claims")):
            self._load_relations(f"claims[{index}]", entry)
        return self.summary

    # --- Reading the file ----------------------------------------------------------------------

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
        try:
            return iso_date(value)
        except ValueError:
            raise DatasetError(f"{where}: {key} {value!r} is not an ISO date (YYYY-MM-DD)") from None

    def _unique_slug(self, where, entry, known):
        slug = self._require(where, entry, "slug")
        if slug in known:
            raise DatasetError(f"{where}: slug {slug!r} is used twice")
        return slug

    # --- Deciding what a record may take --------------------------------------------------------

    def _find(self, model, kind, key, **lookup):
        """The record the dataset's `key` names: the one the dataset wrote (even if an editor
        renamed its slug since), the record it was merged into, or one matching `lookup`."""
        record = self.ledger.get((kind, key))
        if record is not None:
            found = model._default_manager.filter(pk=record.object_id).first()
            if found is not None:
                return found
            merge = MergedRecord.objects.filter(
                content_type=ContentType.objects.get_for_model(model), merged_id=record.object_id
            ).first()
            if merge is not None:
                return model._default_manager.filter(pk=merge.kept_id).first()
            return None
        return model._default_manager.filter(**lookup).first()

    def _decide(self, kind, key, instance, desired, values_of):
        record = self.ledger.get((kind, key))
        if instance is None:
            if record is None or self.overwrite_edited:
                return Decision.CREATE
            return Decision.DELETED
        if record is not None and instance.pk != record.object_id:
            # Merged into another record by an editor: the kept record is theirs, never overwritten.
            return Decision.DELETED
        current = values_of(instance)
        if current == desired:
            return Decision.SAME
        if record is not None:
            # Or changed by no one's save: a merge elsewhere (an actor merged into another) updates
            # the record without an entry in its history. Every edit leaves one, after the last
            # entry the loader saw when it wrote the record (`DatasetRecord.history_id`).
            untouched = fingerprint(current) == record.fingerprint or not (
                instance.history.filter(history_id__gt=record.history_id or 0).exists()
            )
        else:
            # Written before the loader kept fingerprints: untouched if no editor ever saved it.
            untouched = not instance.history.exclude(history_user=None).exists()
        if untouched:
            return Decision.UPDATE
        return Decision.OVERWRITE if self.overwrite_edited else Decision.EDITED

    def _report(self, decision, kind, key, instance, desired, values_of):
        singular = kind[:-1]
        if decision == Decision.EDITED:
            current = values_of(instance)
            changed = ", ".join(name for name in desired if current.get(name) != desired[name])
            self.summary.kept.append(f"{singular} {key} (changed by an editor: {changed})")
        elif decision == Decision.DELETED:
            self.summary.kept.append(f"{singular} {key} (deleted or merged by an editor)")
        elif decision == Decision.OVERWRITE:
            current = values_of(instance)
            changes = "; ".join(
                f"{name} {_shown(current.get(name))} → {_shown(desired[name])}"
                for name in desired
                if current.get(name) != desired[name]
            )
            self.summary.overwritten.append(f"{singular} {key}: {changes}")

    def _note(self, kind, key, instance, desired):
        record = self.ledger.get((kind, key))
        if record is None:
            record = DatasetRecord(kind=kind, key=key)
            self.ledger[kind, key] = record
        record.object_id = instance.pk
        record.fingerprint = fingerprint(desired)
        record.history_id = (
            instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
        )
        record.save()

    def _change_reason(self, decision):
        # Short enough for any history's reason (100 characters outside claims).
        name = Truncator(self.name).chars(24)
        if decision == Decision.OVERWRITE:
            return f"Dataset {name} loaded with --overwrite-edited: replaced an editor's change"
        if decision == Decision.UPDATE:
            return f"Dataset {name}: correction"
        return f"Dataset {name}: created"

    def _save(self, where, kind, instance, decision, **full_clean_options):
        try:
            instance.full_clean(**full_clean_options)
        except ValidationError as error:
            messages = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
            raise DatasetError(f"{where} ({getattr(instance, 'slug', '')}): {messages}") from None
        save = save_relation if isinstance(instance, ClaimRelation) else save_with_history
        save(instance, reason=self._change_reason(decision))
        self._count(kind, decision)
        return instance

    def _count(self, kind, decision):
        if decision == Decision.CREATE:
            self.summary.created[kind] += 1
        elif decision in (Decision.UPDATE, Decision.OVERWRITE):
            self.summary.updated[kind] += 1

    def _writes(self, decision):
        return decision in (Decision.CREATE, Decision.UPDATE, Decision.OVERWRITE)

    # --- Each kind of record ----------------------------------------------------------------------

    def _aliases(self, entry):
        return "\n".join(str(alias) for alias in entry.get("aliases") or [])

    def _load_actor(self, where, entry):
        slug = self._unique_slug(where, entry, self.actors)
        actor = self._find(Actor, "actors", slug, slug=slug)
        # The affiliation is linked in a second pass, once every actor exists; it counts in the
        # decision all the same, so an editor's new affiliation keeps the actor as they left it.
        desired = {
            "name": self._require(where, entry, "name"),
            "kind": self._require(where, entry, "kind"),
            "aliases": self._aliases(entry),
            "description": entry.get("description") or "",
            "wikidata_id": entry.get("wikidata_id") or "",
            "affiliation": None,
        }
        affiliation = entry.get("affiliation")
        if affiliation and affiliation not in self.actor_slugs:
            raise DatasetError(f"{where}: affiliation {affiliation!r} is not defined in this file")
        if affiliation == slug:
            raise DatasetError(f"{where}: an actor cannot be affiliated with itself")
        if affiliation:
            known = self._find(Actor, "actors", affiliation, slug=affiliation)
            desired["affiliation"] = known.pk if known else "new"
        decision = self._decide("actors", slug, actor, desired, actor_values)
        self._report(decision, "actors", slug, actor, desired, actor_values)
        if self._writes(decision):
            actor = actor or Actor(slug=slug)
            for name, value in desired.items():
                if name != "affiliation":
                    setattr(actor, name, value)
            self._save(where, "actors", actor, decision, exclude=["affiliation"])
        self.actors[slug] = actor
        return decision

    def _link_affiliation(self, where, entry, decision):
        slug = entry["slug"]
        actor = self.actors[slug]
        if actor is None:
            return
        wanted = self.actors[entry["affiliation"]] if entry.get("affiliation") else None
        if self._writes(decision) and actor.affiliation != wanted:
            actor.affiliation = wanted
            save_with_history(actor, reason=self._change_reason(decision), update_fields=["affiliation"])
        if self._writes(decision) or decision == Decision.SAME:
            self._note("actors", slug, actor, actor_values(actor))

    def _load_topic(self, where, entry):
        slug = self._unique_slug(where, entry, self.topics)
        topic = self._find(Topic, "topics", slug, slug=slug)
        desired = {
            "name": self._require(where, entry, "name"),
            "aliases": self._aliases(entry),
            "description": entry.get("description") or "",
        }
        self.topics[slug] = self._reconcile(
            where, "topics", slug, topic, desired, topic_values, Topic(slug=slug)
        )

    def _reconcile(self, where, kind, key, instance, desired, values_of, new_instance, **full_clean_options):
        """Create, update, keep or overwrite one record whose managed values are plain fields."""
        decision = self._decide(kind, key, instance, desired, values_of)
        self._report(decision, kind, key, instance, desired, values_of)
        if self._writes(decision):
            instance = instance or new_instance
            for name, value in desired.items():
                setattr(instance, name, value)
            self._save(where, kind, instance, decision, **full_clean_options)
        if self._writes(decision) or decision == Decision.SAME:
            self._note(kind, key, instance, desired)
        return instance

    def _load_source(self, where, entry):
        slug = self._unique_slug(where, entry, self.sources)
        source = self._find(Source, "sources", slug, slug=slug)
        desired = {
            "kind": self._require(where, entry, "kind"),
            "title": self._require(where, entry, "title"),
            "outlet": entry.get("outlet") or "",
            "author": entry.get("author") or "",
            "url": entry.get("url") or "",
            "archive_url": entry.get("archive_url") or "",
            "published_on": self._date(where, "published_on", entry.get("published_on")),
            "retrieved_on": self._date(where, "retrieved_on", entry.get("retrieved_on")),
            "language": entry.get("language") or "",
            "notes": entry.get("notes") or "",
            "full_text": source.full_text if source else "",
        }
        if entry.get("full_text_file"):
            article = self.articles_dir / entry["full_text_file"]
            try:
                desired["full_text"] = article.read_text(encoding="utf-8")
            except OSError as error:
                raise DatasetError(f"{where}: cannot read {article}: {error.strerror}") from None
        self.sources[slug] = self._reconcile(
            where, "sources", slug, source, desired, source_values, Source(slug=slug)
        )

    def _load_claim(self, where, entry):
        slug = self._unique_slug(where, entry, self.claims)
        claim = self._find(Claim, "claims", slug, slug=slug)
        speaker = self._lookup(where, "speaker", self._require(where, entry, "speaker"), self.actors)
        target = entry.get("target")
        target = self._lookup(where, "target", target, self.actors) if target else None
        topics = [self._lookup(where, "topic", topic, self.topics) for topic in entry.get("topics") or []]
        citations = entry.get("citations") or []
        published = bool(entry.get("published", False))
        if published and not citations:
            raise DatasetError(f"{where} ({slug}): a published claim needs at least one citation")
        precision = entry.get("date_precision") or DatePrecision.DAY
        desired = {
            "summary": self._require(where, entry, "summary"),
            "quote": entry.get("quote") or "",
            "speaker_id": speaker.pk if speaker else None,
            "speaker_role": entry.get("speaker_role") or "",
            "target_id": target.pk if target else None,
            "kind": self._require(where, entry, "kind"),
            "stated_on": self._date(where, "stated_on", self._require(where, entry, "stated_on")),
            "stated_on_precision": precision,
            "attribution": entry.get("attribution") or Attribution.REPORTED,
            "evidence_status": entry.get("evidence_status") or EvidenceStatus.UNREVIEWED,
            "rationale": entry.get("rationale") or "",
            "publication_state": PublicationState.PUBLISHED if published else PublicationState.DRAFT,
            "topics": sorted(topic.pk for topic in topics if topic is not None),
        }
        if precision in DatePrecision.values:
            # As a claim stores it: "May 2020" is 2020-05-01, whatever day the file gives.
            desired["stated_on"] = DatePrecision(precision).truncate(desired["stated_on"])
        decision = self._decide("claims", slug, claim, desired, claim_values)
        self._report(decision, "claims", slug, claim, desired, claim_values)
        self.claims[slug] = claim
        self.claim_decisions[slug] = decision

        def load_citations():
            for number, citation_entry in enumerate(citations):
                self._load_citation(f"{where}.citations[{number}]", slug, self.claims[slug], citation_entry)

        if self._writes(decision):
            claim = self.claims[slug] = self._write_claim(
                where, slug, claim, desired, entry, topics, decision, load_citations
            )
        else:
            load_citations()
        if self._writes(decision) or decision == Decision.SAME:
            self._note("claims", slug, claim, desired)

    def _write_claim(self, where, slug, claim, desired, entry, topics, decision, load_citations):
        """Create or change the claim, its topics and (`load_citations`) its citations, then publish
        it or take it back to draft as the file says: one operation (`edit_claim`)."""
        if claim is None:
            claim = Claim(slug=slug, created_by=self.user)
        status = desired["evidence_status"]
        for name, value in desired.items():
            if name not in ("topics", "publication_state"):
                setattr(claim, name, value)
        claim.updated_by = self.user
        # Validated in the state it will reach (a reviewed claim needs a rationale, and so on).
        claim.publication_state = desired["publication_state"]
        try:
            claim.full_clean()
        except ValidationError as error:
            messages = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
            raise DatasetError(f"{where} ({slug}): {messages}") from None
        stored = claim.stored_states()
        # A status step is dated by the review the file records (the claim's `reviewed_on`, else
        # the file's), not by the day the file is loaded; never before a step the claim has.
        reviewed_on = self._date(
            where, "reviewed_on", entry.get("reviewed_on") or self.data.get("reviewed_on")
        )
        reviewed_at = reviewed_on and datetime.datetime.combine(reviewed_on, datetime.time(12), datetime.UTC)
        if reviewed_at and stored and claim.status_changes.filter(changed_at__gt=reviewed_at).exists():
            reviewed_at = None
        self.claims[slug] = claim  # where its citations find it
        try:
            edit_claim(
                claim,
                status=status,
                reason=entry.get("status_change_reason") or "",
                by=self.user,
                note=self._change_reason(decision),
                at=reviewed_at or None,
                topics=topics,
                save_related=load_citations,
                publication_state=desired["publication_state"],
                unpublish_reason=self._change_reason(decision),
            )
        except ValidationError as error:
            raise DatasetError(f"{where} ({slug}): {' '.join(error.messages)}") from None
        self._count("claims", decision)
        return claim

    def _load_citation(self, where, claim_slug, claim, entry):
        source_slug = self._require(where, entry, "source")
        source = self._lookup(where, "source", source_slug, self.sources)
        stance = entry.get("stance") or CitationStance.REPORTS
        key = f"{claim_slug} / {source_slug} / {stance}"
        citation = None
        if claim is not None and source is not None:
            citation = self._find(Citation, "citations", key, claim=claim, source=source, stance=stance)
        if claim is None or source is None:
            return
        desired = {
            "claim_id": claim.pk,
            "source_id": source.pk,
            "stance": stance,
            "excerpt": entry.get("excerpt") or "",
            "locator": entry.get("locator") or "",
        }
        self._reconcile(
            where,
            "citations",
            key,
            citation,
            desired,
            citation_values,
            Citation(claim=claim, source=source, stance=stance),
        )

    def _load_relations(self, where, entry):
        from_claim = self.claims[entry["slug"]]
        for number, relation_entry in enumerate(entry.get("relations") or []):
            here = f"{where}.relations[{number}]"
            to_slug = self._require(here, relation_entry, "claim")
            to_claim = self._lookup(here, "claim", to_slug, self.claims)
            relation_type = self._require(here, relation_entry, "type")
            if from_claim is None or to_claim is None:
                continue
            key = f"{entry['slug']} / {relation_type} / {to_slug}"
            relation = self._find(
                ClaimRelation,
                "relations",
                key,
                from_claim=from_claim,
                to_claim=to_claim,
                relation_type=relation_type,
            )
            self._reconcile(
                here,
                "relations",
                key,
                relation,
                {},
                relation_values,
                ClaimRelation(from_claim=from_claim, to_claim=to_claim, relation_type=relation_type),
            )
