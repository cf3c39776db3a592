"""The vector index at a scale the machine cannot generate a corpus of in minutes: a fresh
process's resident set for the model and an index of N claims' vectors, the time to build it,
and the time of a query's meaning side (embedding the text, then the index's nearest 100), with
the index's recall of the exact 10 nearest. The vectors are synthetic (seeded): clusters around
5,000 random topics with a shared direction, as sentence vectors have; the code is the one
`similar_to` runs, fed from memory instead of the database.

    .venv/bin/python bench/vector_scale.py [--claims 1000000] [--queries 200]
"""

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.vector_memory import rss_mb
from claims.similarity import embedding, index

TOPICS = 5_000
CHUNK = 50_000
SHORTLIST = 500  # claims.similarity.ranking.SHORTLISTED_BY_SIGN_BITS


def synthetic_rows(claims, seed=3):
    """(id, stored bytes) of `claims` synthetic vectors, the same every call."""
    generator = np.random.default_rng(seed)
    shared = generator.normal(size=embedding.DIMENSIONS)
    topics = generator.normal(size=(TOPICS, embedding.DIMENSIONS)) + 2 * shared
    for start in range(0, claims, CHUNK):
        count = min(CHUNK, claims - start)
        vectors = topics[generator.integers(0, TOPICS, count)] + 1.2 * generator.normal(
            size=(count, embedding.DIMENSIONS)
        )
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        scaled = np.round(vectors * (127 / np.abs(vectors).max(axis=1, keepdims=True))).astype(np.int8)
        for offset in range(count):
            yield start + offset + 1, scaled[offset].tobytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    arguments = parser.parse_args()

    before = rss_mb()
    embedding.model()
    after_model = rss_mb()
    started = time.perf_counter()
    built = index.VectorIndex.build(lambda: synthetic_rows(arguments.claims))
    building = time.perf_counter() - started
    gc.collect()
    index.release_freed_memory()
    after_index = rss_mb()

    # Queries: stored vectors moved a little (a paraphrase), each with the time to embed a text.
    generator = np.random.default_rng(11)
    wanted = set(generator.choice(arguments.claims, arguments.queries, replace=False).tolist())
    chosen = {}
    for pk, stored in synthetic_rows(arguments.claims):
        if pk - 1 in wanted:
            chosen[pk] = embedding.from_bytes(stored)
    queries = []
    for vector in chosen.values():
        moved = vector + 0.01 * generator.normal(size=embedding.DIMENSIONS)
        queries.append(moved / np.linalg.norm(moved))
    exact = _exact_nearest(queries, arguments.claims, 10)
    times, recalls = [], []
    for query, nearest in zip(queries, exact, strict=True):
        started = time.perf_counter()
        embedding.unit_vectors(["Russia violated the Open Skies Treaty by restricting flights."])
        found = built.nearest(query, SHORTLIST)
        times.append((time.perf_counter() - started) * 1000)
        recalls.append(len(set(found) & nearest) / len(nearest))
    times.sort()
    print(f"| claims | {arguments.claims:,} |")
    print("| --- | ---: |")
    print(f"| model: resident set growth | {after_model - before:.1f} MB |")
    print(f"| index: arrays | {built.nbytes / 2**20:.1f} MB |")
    print(f"| model + index: resident set growth | {after_index - before:.1f} MB |")
    print(f"| index build (from memory) | {building:.1f} s |")
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95)]
    print(f"| embed a text + shortlist of {SHORTLIST}: p50 / p95 | {p50:.1f} / {p95:.1f} ms |")
    print(f"| recall of the exact 10 nearest in the shortlist | {statistics.mean(recalls):.3f} |")


def _exact_nearest(queries, claims, count):
    matrix = np.vstack(queries).astype(np.float32)
    best = np.full((len(queries), count), -2.0, dtype=np.float32)
    best_ids = np.zeros((len(queries), count), dtype=np.int64)
    batch_ids, batch = [], []
    for pk, stored in synthetic_rows(claims):
        batch_ids.append(pk)
        batch.append(np.frombuffer(stored, dtype=np.int8))
        if len(batch) == CHUNK or pk == claims:
            vectors = np.vstack(batch).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            cosines = matrix @ vectors.T
            merged = np.hstack([best, cosines])
            merged_ids = np.hstack([best_ids, np.broadcast_to(np.asarray(batch_ids), cosines.shape)])
            top = np.argsort(-merged, axis=1)[:, :count]
            best = np.take_along_axis(merged, top, axis=1)
            best_ids = np.take_along_axis(merged_ids, top, axis=1)
            batch_ids, batch = [], []
    return [set(row.tolist()) for row in best_ids]


if __name__ == "__main__":
    main()
