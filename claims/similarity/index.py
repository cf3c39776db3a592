"""The nearest claims by meaning without reading every vector: an inverted-file index over the
claims' sign bits, held in the process.

The stored vectors are clustered (spherical k-means on a sample); each claim is filed under its
nearest centroid with its vector's 256 sign bits (32 bytes). A query reads the claims filed under
its `PROBED_LISTS` nearest centroids only, and keeps those whose sign bits differ least from its
own (Hamming distance); `similar_to` then compares those candidates exactly, by the vectors stored
with them. At a million claims the index holds 36 MB (sign bits and ids) and a query reads about 3 %
of it.

The index is built from the database on first use and covers the claims up to the highest id it
read; claims added since are compared directly (`newer_claims`), up to `NEWER_CLAIMS_COMPARED`,
and the index is built again when they are more than that or when it is older than `MAX_AGE`
seconds. A claim whose text changed keeps its old sign bits until then; its exact comparison
always reads its new vector. On a large table the build runs in a thread of its own, and until it
is done the candidates come from the words and the newest claims only."""

import math
import threading
import time

import numpy as np

from .embedding import DIMENSIONS, from_bytes

# Centroids: about the square root of the claims, at most this many.
MOST_LISTS = 1024
# Lists a query reads: enough for the nearest claims to be among them nearly always.
PROBED_LISTS = 32
CLUSTERING_SAMPLE = 20_000
CLUSTERING_ROUNDS = 8
READ_BATCH = 20_000
# Claims added since the index was built, compared one by one; past that, it is built again.
NEWER_CLAIMS_COMPARED = 2_000
MAX_AGE = 15 * 60
# Up to this many claims (as PostgreSQL estimates them) the index is built while the query waits
# (about a second at this size); beyond, in a thread.
BUILT_WHILE_WAITING = 50_000


def sign_bits(vectors):
    return np.packbits(vectors > 0, axis=-1)


def _hamming(codes, code):
    return np.unpackbits(codes ^ code, axis=-1).sum(axis=-1, dtype=np.int32)


class VectorIndex:
    def __init__(self, ids, codes, centroids, offsets, covers_up_to):
        self.ids = ids
        self.codes = codes
        self.centroids = centroids
        self.offsets = offsets
        self.covers_up_to = covers_up_to
        self.built_at = time.monotonic()

    @classmethod
    def build(cls, rows, *, seed=0):
        """An index of `rows`, an iterable of (id, stored vector bytes)."""
        ids, vectors = [], []
        for pk, stored in rows:
            ids.append(pk)
            vectors.append(np.frombuffer(bytes(stored), dtype=np.int8))
        if not ids:
            return cls(np.zeros(0, np.int64), np.zeros((0, DIMENSIONS // 8), np.uint8), None, None, 0)
        ids = np.asarray(ids, dtype=np.int64)
        matrix = np.vstack(vectors)
        del vectors
        centroids = _centroids(matrix, seed=seed)
        nearest = np.concatenate(
            [
                np.argmax(matrix[start : start + READ_BATCH].astype(np.float32) @ centroids.T, axis=1)
                for start in range(0, len(matrix), READ_BATCH)
            ]
        )
        order = np.argsort(nearest, kind="stable")
        offsets = np.searchsorted(nearest[order], np.arange(len(centroids) + 1))
        codes = sign_bits(matrix[order])
        return cls(ids[order], codes, centroids, offsets, int(ids.max()))

    def nearest(self, vector, count):
        """The ids of about the `count` claims nearest `vector` (a unit vector), by their sign bits."""
        if self.centroids is None or not len(self.ids):
            return []
        lists = np.argsort(-(self.centroids @ vector))[:PROBED_LISTS]
        rows = np.concatenate([np.arange(self.offsets[i], self.offsets[i + 1]) for i in lists])
        if not len(rows):
            return []
        distances = _hamming(self.codes[rows], sign_bits(vector))
        kept = min(count, len(rows))
        best = np.argpartition(distances, kept - 1)[:kept]
        return self.ids[rows[best]].tolist()

    @property
    def nbytes(self):
        return sum(
            part.nbytes for part in (self.ids, self.codes, self.centroids, self.offsets) if part is not None
        )


def _centroids(matrix, *, seed):
    count = max(1, min(MOST_LISTS, int(math.sqrt(len(matrix)))))
    generator = np.random.default_rng(seed)
    sample = matrix[generator.choice(len(matrix), min(len(matrix), CLUSTERING_SAMPLE), replace=False)]
    sample = sample.astype(np.float32)
    sample /= np.maximum(np.linalg.norm(sample, axis=1, keepdims=True), 1e-9)
    centroids = sample[generator.choice(len(sample), count, replace=False)]
    for _ in range(CLUSTERING_ROUNDS):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, nearest, sample)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        # A centroid that lost every claim keeps its place.
        centroids = np.where(norms > 0, sums / np.maximum(norms, 1e-9), centroids)
    return centroids


_index = None
_building = threading.Lock()
_build_running = False


def forget():
    """Drop this process's index (the next query builds it again)."""
    global _index
    _index = None


def _stored_vectors():
    from claims.models import Claim

    return (
        Claim.objects.filter(embedding__isnull=False)
        .order_by()
        .values_list("pk", "embedding")
        .iterator(chunk_size=READ_BATCH)
    )


def build_now():
    """Build this process's index from the stored vectors, now, and return it."""
    global _index
    _index = VectorIndex.build(_stored_vectors())
    return _index


def _build_in_thread():
    global _build_running
    from django.db import connection

    try:
        build_now()
    finally:
        _build_running = False
        connection.close()


def _estimated_claims():
    from django.db import connection

    from claims.models import Claim

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [Claim._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else 0


def current_index(*, build=True):
    """This process's index, built if need be (unless not to `build`); None while it is being
    built in a thread."""
    global _build_running
    stale = _index is None or time.monotonic() - _index.built_at > MAX_AGE
    if not stale or not build:
        return _index
    with _building:
        if _build_running:
            return _index
        if _estimated_claims() > BUILT_WHILE_WAITING:
            # Built in a thread; until it is done, the index built before (if any) serves.
            _build_running = True
            threading.Thread(target=_build_in_thread, name="claim-vector-index", daemon=True).start()
            return _index
        build_now()
        return _index


def newer_claims(claims, covers_up_to):
    """(id, unit vector) of the claims in `claims` added since the index was built, the newest
    first, at most `NEWER_CLAIMS_COMPARED`, and whether there were more."""
    rows = list(
        claims.filter(pk__gt=covers_up_to, embedding__isnull=False)
        .order_by("-pk")
        .values_list("pk", "embedding")[: NEWER_CLAIMS_COMPARED + 1]
    )
    return [(pk, from_bytes(stored)) for pk, stored in rows[:NEWER_CLAIMS_COMPARED]], len(
        rows
    ) > NEWER_CLAIMS_COMPARED
