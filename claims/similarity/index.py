"""The nearest claims by meaning without reading every vector: an inverted-file index over the
claims' sign bits, held in the process.

The stored vectors are clustered (spherical k-means on a sample); each claim is filed under its
nearest centroid with its vector's 256 sign bits (32 bytes). A query reads the claims filed under
its `PROBED_LISTS` nearest centroids only, and keeps those whose sign bits differ least from its
own (Hamming distance); `similar_to` then compares those candidates exactly, by the vectors stored
with them. At a million claims the index holds 39 MB (sign bits and ids) and a query reads about 3 %
of it.

The index is built from the database on first use and covers the claims up to the highest id it
read; claims added since are compared directly (`newer_claims`), up to `NEWER_CLAIMS_COMPARED`,
and the index is built again when they are more than that or when it is older than `MAX_AGE`
seconds. A claim whose text changed keeps its old sign bits until then; its exact comparison
always reads its new vector. On a large table the build runs in a thread of its own, and until it
is done the candidates come from the words and the newest claims only."""

import contextlib
import ctypes
import itertools
import math
import threading
import time

import numpy as np
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from .embedding import DIMENSIONS, from_bytes

# Centroids: about the square root of the claims, at most this many.
MOST_LISTS = 1024
# Lists a query reads: enough for the nearest claims to be among them nearly always.
PROBED_LISTS = 32
CLUSTERING_SAMPLE = 10_000
CLUSTERING_ROUNDS = 8
READ_BATCH = 5_000
# Claims added since the index was built, compared one by one; past that, it is built again.
NEWER_CLAIMS_COMPARED = 2_000
MAX_AGE = 15 * 60
# Up to this many claims (as PostgreSQL estimates them) the index is built while the query waits
# (about a second at this size); beyond, in a thread.
BUILT_WHILE_WAITING = 50_000


def sign_bits(vectors):
    """The sign bits of (centred) vectors, as 64-bit words: a row of `DIMENSIONS // 64`."""
    return np.packbits(vectors > 0, axis=-1).view(np.uint64)


def _hamming(codes, code):
    return np.bitwise_count(codes ^ code).sum(axis=-1, dtype=np.int32)


def _centred(vectors, mean):
    """Unit vectors less the mean of the claims': sentence vectors share a direction, which would
    otherwise set most of their sign bits alike and pull every centroid its way."""
    vectors = vectors.astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)
    return vectors - mean


class VectorIndex:
    def __init__(self, ids, codes, centroids, offsets, covers_up_to, mean=None):
        self.ids = ids
        self.codes = codes
        self.centroids = centroids
        self.offsets = offsets
        self.covers_up_to = covers_up_to
        self.mean = mean
        self.built_at = time.monotonic()

    @classmethod
    def build(cls, read_rows, *, seed=0):
        """An index of the rows `read_rows()` gives, (id, stored vector bytes); it is called twice,
        and each time reads them a chunk at a time, so that the process never holds every vector:
        first for the ids and a sample (for the mean and the centroids), then for the sign bits
        and to file each under its nearest centroid."""
        generator = np.random.default_rng(seed)
        ids, sample, seen = [], [], 0
        for chunk_ids, vectors in _chunks(read_rows()):
            ids.append(chunk_ids)
            sample, seen = _reservoir(sample, vectors, seen, generator)
        if not seen:
            return cls(np.zeros(0, np.int64), np.zeros((0, DIMENSIONS // 64), np.uint64), None, None, 0)
        ids = np.concatenate(ids)
        sample = _centred(np.vstack(sample), 0)
        mean = sample.mean(axis=0)
        lists = max(1, min(MOST_LISTS, int(math.sqrt(seen))))
        centroids = _centroids(sample - mean, count=lists, seed=seed)
        nearest, codes = [], []
        for _, vectors in _chunks(read_rows()):
            centred = _centred(vectors, mean)
            nearest.append(np.argmax(centred @ centroids.T, axis=1))
            codes.append(sign_bits(centred))
        nearest, codes = np.concatenate(nearest), np.concatenate(codes)
        if len(nearest) != len(ids):  # claims added or removed between the two reads
            return cls.build(read_rows, seed=seed)
        order = np.argsort(nearest, kind="stable")
        offsets = np.searchsorted(nearest[order], np.arange(len(centroids) + 1))
        return cls(ids[order], codes[order], centroids, offsets, int(ids.max()), mean)

    def nearest(self, vector, count):
        """The ids of about the `count` claims nearest `vector` (a unit vector), by their sign bits."""
        if self.centroids is None or not len(self.ids):
            return []
        centred = vector - self.mean
        lists = np.argsort(-(self.centroids @ centred))[:PROBED_LISTS]
        spans = [(self.offsets[i], self.offsets[i + 1]) for i in lists]
        rows = np.concatenate([np.arange(start, end) for start, end in spans])
        if not len(rows):
            return []
        codes = np.concatenate([self.codes[start:end] for start, end in spans])
        distances = _hamming(codes, sign_bits(centred))
        kept = min(count, len(rows))
        best = np.argpartition(distances, kept - 1)[:kept]
        return self.ids[rows[best]].tolist()

    @property
    def nbytes(self):
        return sum(
            part.nbytes for part in (self.ids, self.codes, self.centroids, self.offsets) if part is not None
        )


def _chunks(rows):
    """(ids, int8 vectors) of `READ_BATCH` rows at a time."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, READ_BATCH)):
        chunk_ids = np.fromiter((pk for pk, _ in batch), dtype=np.int64, count=len(batch))
        vectors = np.frombuffer(b"".join(bytes(stored) for _, stored in batch), dtype=np.int8)
        yield chunk_ids, vectors.reshape(len(batch), DIMENSIONS)


def _reservoir(sample, vectors, seen, generator):
    """A uniform sample of `CLUSTERING_SAMPLE` vectors of all those seen, with `vectors` seen too
    (reservoir sampling, a chunk at a time). Rows are copied: a view would keep its whole chunk."""
    sample = list(sample)
    for vector in vectors:
        if len(sample) < CLUSTERING_SAMPLE:
            sample.append(vector.copy())
        else:
            slot = generator.integers(0, seen + 1)
            if slot < CLUSTERING_SAMPLE:
                sample[slot] = vector.copy()
        seen += 1
    return sample, seen


def _centroids(sample, *, count, seed):
    """`count` centroids of `sample` by spherical k-means."""
    generator = np.random.default_rng(seed)
    sample = sample / np.maximum(np.linalg.norm(sample, axis=1, keepdims=True), 1e-9)
    centroids = sample[generator.choice(len(sample), min(count, len(sample)), replace=False)]
    for _ in range(CLUSTERING_ROUNDS):
        nearest = np.concatenate(
            [
                np.argmax(sample[start : start + READ_BATCH] @ centroids.T, axis=1)
                for start in range(0, len(sample), READ_BATCH)
            ]
        )
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


def build_now(estimated_claims=None):
    """Build this process's index from the stored vectors, now, and return it."""
    global _index
    if estimated_claims is None:
        estimated_claims = _estimated_claims()
    if estimated_claims <= BUILT_WHILE_WAITING:
        rows = list(_stored_vectors())  # few: read once, not twice
        _index = VectorIndex.build(lambda: iter(rows))
    else:
        _index = VectorIndex.build(_stored_vectors)
    release_freed_memory()
    return _index


def release_freed_memory():
    """Hand freed memory (a build's rows read and clustering arrays, the re-ranking model's buffers)
    back to the system: glibc keeps freed heap for the process otherwise, about ten times the index
    at 100,000 claims. Elsewhere, nothing."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


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
        estimated_claims = _estimated_claims()
        if estimated_claims > BUILT_WHILE_WAITING:
            # Built in a thread; until it is done, the index built before (if any) serves.
            _build_running = True
            threading.Thread(target=_build_in_thread, name="claim-vector-index", daemon=True).start()
            return _index
        return build_now(estimated_claims)


def stored_vectors(claims, ids, *, added_after=None):
    """(id, unit vector) of the claims in `claims` among `ids` and, unless `added_after` is None,
    of the newest `NEWER_CLAIMS_COMPARED` with a higher id (added since the index was built); and
    whether more than those were added. One query."""
    if added_after is None:
        if not ids:
            return [], False
        wanted = claims.filter(pk__in=ids)
    else:
        added = claims.filter(pk__gt=added_after, embedding__isnull=False).order_by("-pk")
        wanted = claims.filter(any_id(ids, added.values("pk")[: NEWER_CLAIMS_COMPARED + 1]))
    rows = list(wanted.filter(embedding__isnull=False).order_by().values_list("pk", "embedding"))
    newer = sum(pk > added_after for pk, _ in rows) if added_after is not None else 0
    return [(pk, from_bytes(stored)) for pk, stored in rows], newer > NEWER_CLAIMS_COMPARED


def any_id(ids, subquery):
    """A condition on claims: the id is one of `ids` or of the ids `subquery` (a queryset, or on
    PostgreSQL its SQL and parameters) gives. On PostgreSQL
    one `id = ANY(array)`, which reads the primary key's index for each (an `OR` of two `IN`s is
    read by scanning every claim); elsewhere, that `OR`."""
    from claims.models import Claim

    if connection.vendor != "postgresql":
        return Q(pk__in=ids) | Q(pk__in=subquery)
    sql, params = subquery if isinstance(subquery, tuple) else subquery.query.sql_with_params()
    column = f'"{Claim._meta.db_table}"."{Claim._meta.pk.column}"'
    return RawSQL(
        f"{column} = ANY(%s::bigint[] || ARRAY({sql}))", (list(ids), *params), output_field=BooleanField()
    )
