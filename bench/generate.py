"""A synthetic corpus for the API benchmark, written into PostgreSQL with COPY.

Actors (states, ministries and institutes, people with transliterated aliases), topics, sources,
and claims whose summaries and quotes are built from real words, so that full-text search matches
some claims and not others as it would on real data. Dates spread over fifteen years, a few month-
or year-precise; most claims published, some drafts; one to three topics and two citations a claim;
reviewed claims with a rationale and one status change; a third of the claims in `disputes` pairs.

Fast because it does in bulk what the application does row by row: the tables' secondary indexes
are dropped and rebuilt after the load, and the load runs with `session_replication_role = replica`,
which turns off, for this transaction only, the foreign-key checks and the deferred "a published
claim has a citation" trigger. The claim search-vector trigger (migration claims/0003) is set to
fire in replica mode too (`ENABLE ALWAYS`), so each claim's vector is computed from its summary,
quote and speaker's names as `COPY` writes the claim (the actors are written first). Afterwards one
query checks the citation rule that the deferred trigger would have checked.
"""

import datetime
import io
import queue
import random
import re
import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction

from bench.corpus_words import (
    ADJECTIVES,
    FIRST_NAMES,
    GERUNDS,
    INSTITUTE_KINDS,
    INSTITUTE_SUBJECTS,
    INSTRUMENTS,
    INTERNATIONAL,
    KIND_WEIGHTS,
    LANGUAGES,
    LAST_NAMES,
    NOUNS,
    OBJECTS,
    OUTLETS,
    PLACES,
    QUOTE_TEMPLATES,
    RATIONALE_TEMPLATES,
    REAL_TOPICS,
    REGIONS,
    ROLES,
    STATES,
    STATUS_WEIGHTS,
    SUBJECTS,
    SUMMARY_TEMPLATES,
)
from claims.choices import ClaimKind, PublicationState, RelationType
from claims.models import Actor, Claim, ClaimRelation, EvidenceStatusChange, Topic
from sources.models import Citation, Source

SIZES = {"claims": 1_000_000, "actors": 20_000, "topics": 2_000, "sources": 200_000}

FIRST_DAY = datetime.date(2010, 1, 1).toordinal()
LAST_DAY = datetime.date(2024, 12, 31).toordinal()


def zipf_weights(count, exponent):
    """Cumulative weights for a few popular items and a long tail, as with speakers and words."""
    cumulative, total = [], 0.0
    for rank in range(1, count + 1):
        total += rank**-exponent
        cumulative.append(total)
    return cumulative


def slug_of(text, max_length=80):
    return re.sub(r"[^a-z0-9]+", "-", text.lower())[:max_length].strip("-")


def fill(template, fills):
    return re.sub(r"\{(\w+)\}", lambda match: fills[match.group(1)](), template)


class Picker:
    """Draws from a pool with Zipf weights: the first items are the most frequent."""

    def __init__(self, rng, pool, exponent=0.9):
        self.rng, self.pool = rng, list(pool)
        self.cumulative = zipf_weights(len(self.pool), exponent)

    def __call__(self, count=None):
        if count is None:
            return self.rng.choices(self.pool, cum_weights=self.cumulative)[0]
        return self.rng.choices(self.pool, cum_weights=self.cumulative, k=count)


def write_copy(cursor, table, columns, lines, chunk_rows=50_000):
    """COPY `lines` (tab-separated, newline-terminated text rows) into `table`, a chunk at a time so
    that memory stays bounded. A thread builds the next chunk while PostgreSQL stores this one (the
    driver lets go of the GIL while it sends). Returns the row count."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    chunks = queue.Queue(maxsize=2)
    count = 0

    def produce():
        nonlocal count
        try:
            buffer = io.StringIO()
            for line in lines:
                buffer.write(line)
                count += 1
                if count % chunk_rows == 0:
                    chunks.put(buffer)
                    buffer = io.StringIO()
            chunks.put(buffer)
        except Exception as error:  # handed to the main thread, which raises it
            chunks.put(error)
        chunks.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    while (chunk := chunks.get()) is not None:
        if isinstance(chunk, Exception):
            raise chunk
        chunk.seek(0)
        cursor.copy_expert(sql, chunk)
    producer.join()
    return count


class Corpus:
    """The synthetic rows, drawn from one seed: the same seed, the same corpus. No generated text
    holds a tab, newline or backslash, so rows go to COPY's text format unescaped."""

    def __init__(self, *, claims, actors, topics, sources, seed=2020):
        self.rng = random.Random(seed)
        self.claim_count, self.actor_count = claims, actors
        self.topic_count, self.source_count = topics, sources
        self.dates = {}

    def date(self, ordinal):
        text = self.dates.get(ordinal)
        if text is None:
            text = self.dates[ordinal] = datetime.date.fromordinal(ordinal).isoformat()
        return text

    # --- Actors and topics ------------------------------------------------------------------------

    def plan_actors(self):
        rng = self.rng
        organizations = [f"Ministry of Foreign Affairs of {state}" for state in STATES]
        organizations += [f"Ministry of Defence of {state}" for state in STATES] + INTERNATIONAL
        institutes = sorted(
            f"{region} {kind} {subject}"
            for region in REGIONS
            for kind in INSTITUTE_KINDS
            for subject in INSTITUTE_SUBJECTS
        )
        organizations += rng.sample(institutes, min(700, len(institutes)))
        # People speak most; states and organizations are at most a quarter of the actors.
        states = STATES[: self.actor_count // 4]
        organizations = organizations[: self.actor_count // 4 - len(states)]
        person_count = self.actor_count - len(states) - len(organizations)
        people = set()
        while len(people) < person_count:
            people.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        self.actors = []  # (id, name, kind, aliases, affiliation id)
        state_ids = {}
        for name in states:
            state_ids[name] = len(self.actors) + 1
            self.actors.append((len(self.actors) + 1, name, "state", "", None))
        organization_ids = []
        for name in organizations:
            state = next((state for state in STATES if name.endswith(f" of {state}")), None)
            organization_ids.append(len(self.actors) + 1)
            self.actors.append((len(self.actors) + 1, name, "organization", "", state_ids.get(state)))
        for name in sorted(people):
            aliases = self.transliterations(name) if rng.random() < 0.25 else []
            # A small corpus has no organizations for anyone to belong to.
            affiliation = rng.choice(organization_ids) if rng.random() < 0.6 and organization_ids else None
            self.actors.append((len(self.actors) + 1, name, "person", aliases, affiliation))
        self.names = [""] + [actor[1] for actor in self.actors]
        # Who speaks most: a popularity order over all actors, drawn once.
        self.speakers = Picker(rng, rng.sample(range(1, len(self.actors) + 1), len(self.actors)))

    @staticmethod
    def transliterations(name):
        variants = {
            name.replace("y", "i"),
            name.replace("kh", "h").replace("Kh", "H"),
            name.replace("ov", "off"),
            name.replace("sh", "ch"),
        }
        return sorted(variants - {name})

    def actor_lines(self):
        for actor_id, name, kind, aliases, affiliation in self.actors:
            wikidata = f"Q{1000 + actor_id}" if actor_id % 10 == 0 else ""
            alias_lines = "\\n".join(aliases)  # COPY's escape for a newline
            affiliation = "\\N" if affiliation is None else affiliation
            yield (
                f"{actor_id}\t{name}\t{slug_of(name)}-{actor_id}\t{kind}\t{alias_lines}\t"
                f"A {kind} of the benchmark corpus.\t{wikidata}\t{affiliation}\n"
            )

    def plan_topics(self):
        rng = self.rng
        names = sorted(
            {
                f"{region} {subject} {kind}"
                for region in REGIONS
                for subject in SUBJECTS
                for kind in INSTRUMENTS
            }
        )
        generated = rng.sample(names, self.topic_count - len(REAL_TOPICS))
        self.topics = [*REAL_TOPICS, *((name, "") for name in generated)]
        self.topic_names = [""] + [name for name, _ in self.topics]
        self.topic_picker = Picker(rng, range(1, len(self.topics) + 1), 0.8)

    def topic_lines(self):
        for topic_id, (name, aliases) in enumerate(self.topics, start=1):
            aliases = aliases.replace("\n", "\\n")  # COPY's escape for a newline
            yield f"{topic_id}\t{name}\t{slug_of(name)}-{topic_id}\t{aliases}\t\n"

    # --- Sources ----------------------------------------------------------------------------------

    def source_lines(self):
        rng, count = self.rng, self.source_count
        span = LAST_DAY - FIRST_DAY
        objects, places, states = Picker(rng, OBJECTS), Picker(rng, PLACES), Picker(rng, STATES)
        speakers, gerunds = self.speakers, Picker(rng, GERUNDS)
        kinds = rng.choices(
            ["news_article", "official_statement", "transcript", "report", "social_post"],
            weights=[70, 12, 8, 6, 4],
            k=count,
        )
        for source_id in range(1, count + 1):
            # Sources are numbered in date order, so a claim can cite sources of about its date.
            published = self.date(FIRST_DAY + span * (source_id - 1) // count)
            outlet, domain = OUTLETS[source_id % len(OUTLETS)]
            if source_id % 2:
                title = f"{self.names[speakers()]} accuses {states()} of {gerunds()} {objects()} {places()}"
            else:
                title = f"{states()} denies {gerunds()} {objects()} {places()}"
            slug = f"{slug_of(title, 70)}-{source_id}"
            url = f"https://www.{domain}/{published[:7].replace('-', '/')}/{slug}"
            archive = f"https://web.archive.org/web/{url}" if source_id % 3 == 0 else ""
            author = self.names[speakers()] if source_id % 4 else ""
            language = LANGUAGES[source_id % len(LANGUAGES)]
            yield (
                f"{source_id}\t{kinds[source_id - 1]}\t{title}\t{slug}\t{outlet}\t{author}\t{url}\t"
                f"{published}\t{language}\t{published}\t{archive}\t\t\n"
            )

    # --- Claims -----------------------------------------------------------------------------------

    def plan_claims(self):
        rng, count = self.rng, self.claim_count
        # Editors enter claims mostly as they happen, a quarter later from the archives: ids follow
        # dates loosely. Dates spread over 15 years: ~180 claims a day, a few hundred at most.
        days = sorted(rng.randint(FIRST_DAY, LAST_DAY) for _ in range(count))
        backfilled = rng.sample(range(count), count // 4)
        shuffled = [days[index] for index in backfilled]
        rng.shuffle(shuffled)
        for index, day in zip(backfilled, shuffled, strict=True):
            days[index] = day
        precisions = rng.choices(["day", "month", "year"], weights=[966, 30, 4], k=count)
        for index, precision in enumerate(precisions):
            if precision != "day":
                date = datetime.date.fromordinal(days[index])
                date = date.replace(day=1) if precision == "month" else date.replace(month=1, day=1)
                days[index] = date.toordinal()
        self.days, self.precisions = days, precisions
        self.claim_speakers = self.speakers(count)
        self.kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=count)
        self.targets = [
            self.speakers() if kind != "assertion" or rng.random() < 0.3 else None for kind in self.kinds
        ]
        self.published = [rng.random() < 0.95 for _ in range(count)]
        statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count)
        self.statuses = [
            status if published or rng.random() < 0.1 else "unreviewed"
            for status, published in zip(statuses, self.published, strict=True)
        ]
        self.rationales = self.rationale_pool(2_000)
        topic_counts = rng.choices([1, 2, 3], weights=[50, 35, 15], k=count)
        self.claim_topics = [list(dict.fromkeys(self.topic_picker(size))) for size in topic_counts]
        # A third of the claims in `disputes` pairs: the later claim of each pair disputes the
        # earlier one, is a denial or counter-accusation, and targets the earlier claim's speaker.
        paired = rng.sample(range(count), count // 3 // 2 * 2)
        self.disputes = []
        for first, second in zip(paired[::2], paired[1::2], strict=True):
            earlier, later = sorted((first, second), key=lambda index: (days[index], index))
            self.disputes.append((later + 1, earlier + 1))
            self.kinds[later] = "denial" if rng.random() < 0.7 else "counter_accusation"
            speaker = self.claim_speakers[earlier]
            self.targets[later] = speaker if speaker != self.claim_speakers[later] else None
        self.disputes.sort()

    def quote_sentences(self, count):
        rng = self.rng
        fills = {
            "gerund": Picker(rng, GERUNDS),
            "object": Picker(rng, OBJECTS),
            "place": Picker(rng, PLACES),
            "state": Picker(rng, STATES),
            "adjective": Picker(rng, ADJECTIVES),
            "noun": Picker(rng, NOUNS),
            "topic": lambda: self.topic_names[self.topic_picker()],
        }
        return [fill(template, fills) for template in rng.choices(QUOTE_TEMPLATES, k=count)]

    def rationale_pool(self, count):
        rng = self.rng
        fills = {
            "outlet": lambda: rng.choice(OUTLETS)[0],
            "object": Picker(rng, OBJECTS),
            "place": Picker(rng, PLACES),
            "gerund": Picker(rng, GERUNDS),
        }
        return [fill(template, fills) for template in rng.choices(RATIONALE_TEMPLATES, k=count)]

    def claim_lines(self):
        rng, count = self.rng, self.claim_count
        sentences = self.quote_sentences(40_000)
        words = {
            "gerund": Picker(rng, GERUNDS)(count),
            "object": Picker(rng, OBJECTS)(count),
            "place": Picker(rng, PLACES)(count),
            "adjective": Picker(rng, ADJECTIVES)(count),
            "noun": Picker(rng, NOUNS)(count),
            "state": Picker(rng, STATES)(count),
        }
        templates = {kind: rng.choices(options, k=count) for kind, options in SUMMARY_TEMPLATES.items()}
        quote_sizes = rng.choices([0, 1, 2, 3], weights=[15, 35, 35, 15], k=count)
        roles = rng.choices(ROLES, k=count)
        attributions = rng.choices(["reported", "on_record", "contested"], weights=[70, 25, 5], k=count)
        lags = rng.choices(range(30), k=count)
        for index in range(count):
            claim_id = index + 1
            speaker, target = self.claim_speakers[index], self.targets[index]
            summary = templates[self.kinds[index]][index].format(
                speaker=self.names[speaker],
                target=self.names[target] if target else words["state"][index],
                topic=self.topic_names[self.claim_topics[index][0]],
                **{name: chosen[index] for name, chosen in words.items()},
            )
            quote = " ".join(rng.choices(sentences, k=quote_sizes[index]))
            status = self.statuses[index]
            rationale = "" if status == "unreviewed" else self.rationales[index % len(self.rationales)]
            day, lag = self.days[index], lags[index]
            clock = f"{9 + index % 10:02d}:{index % 60:02d}"
            created = f"{self.date(day + lag // 3)} {clock}:00+00"
            updated = f"{self.date(day + lag)} {clock}:30+00"
            state, published_at = ("published", created) if self.published[index] else ("draft", "\\N")
            slug = f"{slug_of(self.names[speaker] + ' ' + summary)}-{claim_id}"
            target_id = "\\N" if target is None else target
            yield (
                f"{claim_id}\t{summary}\t{slug}\t{quote}\t{roles[index]}\t{self.kinds[index]}\t"
                f"{self.date(day)}\t{self.precisions[index]}\t{status}\t{rationale}\t{attributions[index]}\t"
                f"{state}\t{published_at}\t{created}\t{updated}\t{speaker}\t{target_id}\n"
            )

    def claim_topic_lines(self):
        row_id = 0
        for index, topics in enumerate(self.claim_topics):
            for topic_id in topics:
                row_id += 1
                yield f"{row_id}\t{index + 1}\t{topic_id}\n"

    def citation_lines(self):
        rng, sources, count = self.rng, self.source_count, self.claim_count
        span = LAST_DAY - FIRST_DAY + 1
        stances = rng.choices(
            ["reports", "supports", "contradicts", "context"], weights=[55, 20, 10, 15], k=count
        )
        offsets = rng.choices(range(-400, 400), k=count)
        gaps = rng.choices(range(1, 300), k=count)
        for index, day in enumerate(self.days):
            claim_id = index + 1
            # Two different sources of about the claim's date.
            first = min(max((day - FIRST_DAY) * sources // span + offsets[index], 0), sources - 1)
            second = (first + gaps[index]) % sources
            paragraph = 1 + index % 9
            excerpt = f"The statement as the source reports it, in paragraph {paragraph}."
            yield f"{2 * claim_id - 1}\t{claim_id}\t{first + 1}\treports\t{excerpt}\tparagraph {paragraph}\n"
            yield f"{2 * claim_id}\t{claim_id}\t{second + 1}\t{stances[index]}\t\tparagraph {paragraph + 1}\n"

    def status_change_lines(self):
        row_id = 0
        for index, status in enumerate(self.statuses):
            if status != "unreviewed":
                row_id += 1
                changed = f"{self.date(self.days[index] + 2)} 12:00:00+00"
                reason = self.rationales[index % len(self.rationales)]
                yield f"{row_id}\t{index + 1}\tunreviewed\t{status}\t{reason}\t{changed}\n"

    def relation_lines(self):
        for row_id, (from_claim, to_claim) in enumerate(self.disputes, start=1):
            created = f"{self.date(self.days[from_claim - 1] + 1)} 08:00:00+00"
            yield f"{row_id}\t{from_claim}\t{to_claim}\tdisputes\t{created}\n"

    def loads(self):
        """(model, columns, rows) for each table, in foreign-key order."""
        return [
            (Actor, ["id", "name", "slug", "kind", "aliases", "description", "wikidata_id", "affiliation_id",
                     *ACTOR_COUNTS], with_zero_counts(self.actor_lines(), ACTOR_COUNTS)),
            (Topic, ["id", "name", "slug", "aliases", "description", *TOPIC_COUNTS],
             with_zero_counts(self.topic_lines(), TOPIC_COUNTS)),
            (Source, ["id", "kind", "title", "slug", "outlet", "author", "url", "published_on", "language",
                      "retrieved_on", "archive_url", "full_text", "notes"], self.source_lines()),
            (Claim, ["id", "summary", "slug", "quote", "speaker_role", "kind", "stated_on",
                     "stated_on_precision",
                     "evidence_status", "rationale", "attribution", "publication_state", "published_at",
                     "created_at", "updated_at", "speaker_id", "target_id", *CLAIM_COUNTS],
             with_zero_counts(self.claim_lines(), CLAIM_COUNTS)),
            (Claim.topics.through, ["id", "claim_id", "topic_id"], self.claim_topic_lines()),
            (Citation, ["id", "claim_id", "source_id", "stance", "excerpt", "locator"],
             self.citation_lines()),
            (EvidenceStatusChange, ["id", "claim_id", "from_status", "to_status", "reason", "changed_at"],
             self.status_change_lines()),
            (ClaimRelation, ["id", "from_claim_id", "to_claim_id", "relation_type", "created_at"],
             self.relation_lines()),
        ]  # fmt: skip


# --- Loading ----------------------------------------------------------------------------------------

# The stored counts of published claims: loaded as zeros, then counted once all rows are in.
ACTOR_COUNTS = ["claims_made_count", "accusations_received_count"]
TOPIC_COUNTS = ["claim_count"]
CLAIM_COUNTS = ["counter_claim_count"]


def with_zero_counts(lines, counts):
    """COPY `lines` with a 0 for each of `counts` at their end."""
    zeros = "\t0" * len(counts)
    for line in lines:
        yield f"{line[:-1]}{zeros}\n"


# The tables big enough that building their indexes once beats updating them row by row.
BIG_TABLES = [Claim, Claim.topics.through, Citation, ClaimRelation, EvidenceStatusChange, Source]


def secondary_indexes(cursor, tables):
    """(table, index or constraint name, is it a constraint, its definition) for every index of
    `tables` but their primary keys."""
    cursor.execute(
        """
        SELECT t.relname, ic.relname, c.conname IS NOT NULL,
               coalesce(pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid))
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_constraint c
            ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
        WHERE t.relname = ANY(%s) AND NOT i.indisprimary
        ORDER BY t.relname, ic.relname
        """,
        [tables],
    )
    return cursor.fetchall()


def store_counts(cursor):
    """Store the counts of published claims as the `recount` methods would, each column from one
    grouped count: `recount` counts row by row, for the few records a write touches."""
    claims, actors, topics = (model._meta.db_table for model in (Claim, Actor, Topic))
    claim_topics, relations = Claim.topics.through._meta.db_table, ClaimRelation._meta.db_table
    published = f"{claims}.publication_state = '{PublicationState.PUBLISHED}'"
    accusations = ", ".join(f"'{kind}'" for kind in ClaimKind.accusations())
    counts = [
        (actors, "claims_made_count", f"SELECT speaker_id, count(*) FROM {claims} WHERE {published} "
         "GROUP BY speaker_id"),
        (actors, "accusations_received_count", f"SELECT target_id, count(*) FROM {claims} "
         f"WHERE {published} AND kind IN ({accusations}) AND target_id IS NOT NULL GROUP BY target_id"),
        (topics, "claim_count", f"SELECT topic_id, count(*) FROM {claim_topics} JOIN {claims} "
         f"ON {claims}.id = claim_id WHERE {published} GROUP BY topic_id"),
        (claims, "counter_claim_count", f"SELECT to_claim_id, count(*) FROM {relations} JOIN {claims} "
         f"ON {claims}.id = from_claim_id WHERE {published} AND relation_type = '{RelationType.DISPUTES}' "
         "GROUP BY to_claim_id"),
    ]  # fmt: skip
    for table, column, grouped in counts:
        cursor.execute(
            f"UPDATE {table} SET {column} = counted.count FROM ({grouped}) AS counted (id, count) "
            f"WHERE {table}.id = counted.id"
        )


@contextmanager
def step(timings, name):
    started = time.perf_counter()
    print(f"  {name}...", end="", flush=True)
    yield
    timings[name] = round(time.perf_counter() - started, 2)
    print(f" {timings[name]:.1f} s", flush=True)


def generate(sizes=None, *, seed=2020):
    """Replace the corpus in the default database, in one transaction: stopped half-way, it leaves
    the database as it was, indexes and triggers included. Returns {step: seconds}."""
    corpus = Corpus(**{**SIZES, **(sizes or {})}, seed=seed)
    timings = {}
    claims, citations = Claim._meta.db_table, Citation._meta.db_table
    tables = [model._meta.db_table for model in BIG_TABLES]
    all_tables = [*tables, Actor._meta.db_table, Topic._meta.db_table]
    audited = (Actor, Topic, Claim, ClaimRelation, Source, Citation)
    history = [model.history.model._meta.db_table for model in audited]
    with step(timings, "plan the corpus in memory"):
        corpus.plan_actors()
        corpus.plan_topics()
        corpus.plan_claims()
    with transaction.atomic(), connection.cursor() as cursor:
        with step(timings, "truncate, drop secondary indexes"):
            cursor.execute(f"TRUNCATE {', '.join(all_tables + history)} RESTART IDENTITY CASCADE")
            indexes = secondary_indexes(cursor, tables)
            for table, name, is_constraint, _ in indexes:
                drop = (
                    f"ALTER TABLE {table} DROP CONSTRAINT {name}" if is_constraint else f"DROP INDEX {name}"
                )
                cursor.execute(drop)
        # No triggers in this transaction (foreign-key checks, the deferred citation check) but the
        # search-vector trigger, made to fire in replica mode too: computing the vectors as rows
        # arrive beats an UPDATE afterwards, which rewrites every claim and doubles the table.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"ALTER TABLE {claims} ENABLE ALWAYS TRIGGER claim_search_vector")
        for model, columns, lines in corpus.loads():
            table = model._meta.db_table
            note = " (with search vectors)" if table == claims else ""
            with step(timings, f"COPY {table}{note}"):
                rows = write_copy(cursor, table, columns, lines)
            print(f"    {rows:,} rows", flush=True)
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max(rows, 1)])
        with step(timings, "store the counts of published claims"):
            store_counts(cursor)
        cursor.execute(f"ALTER TABLE {claims} ENABLE TRIGGER claim_search_vector")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        with step(timings, "check: every published claim has a citation"):
            cursor.execute(
                f"SELECT count(*) FROM {claims} c WHERE c.publication_state = 'published' "
                f"AND NOT EXISTS (SELECT 1 FROM {citations} WHERE claim_id = c.id)"
            )
            uncited = cursor.fetchone()[0]
        if uncited:
            raise RuntimeError(f"{uncited} published claims have no citation")
        with step(timings, "rebuild secondary indexes"):
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table, name, is_constraint, definition in indexes:
                add = (
                    f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" if is_constraint else definition
                )
                cursor.execute(add)
    with step(timings, "VACUUM ANALYZE"), connection.cursor() as cursor:
        for table in all_tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return timings
