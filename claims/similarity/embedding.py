"""Sentence vectors for claims: WordLlama's 256-dimension embeddings (`wordllama`, MIT licence),
whose weights and tokenizer ship inside the installed package and are read from its folder, never
downloaded (see the README's "Similar claims"). The model is loaded on first use, once a process,
so a process that never compares claims never pays for it.

A vector is stored as `DIMENSIONS` signed bytes: the unit vector scaled so that its largest
component is 127. Cosine similarity ignores the scale, so nothing else need be kept."""

import threading
from pathlib import Path

import numpy as np

DIMENSIONS = 256
MODEL_CONFIG = "l2_supercat"
# Characters of a claim's summary and quote embedded: the gist is in the first sentences, and the
# cost of embedding grows with the text.
EMBEDDED_CHARACTERS = 2_000

_model = None
_loading = threading.Lock()


def model():
    """The WordLlama model, loaded from the package's own folder with downloads disabled."""
    global _model
    if _model is None:
        with _loading:
            if _model is None:
                import wordllama

                _model = wordllama.WordLlama.load(
                    config=MODEL_CONFIG,
                    dim=DIMENSIONS,
                    cache_dir=Path(wordllama.__file__).parent,
                    disable_download=True,
                )
    return _model


def claim_text(summary, quote):
    """What a claim's vector is computed from: its summary, then its quote."""
    return f"{summary}\n{quote}".strip()[:EMBEDDED_CHARACTERS]


def unit_vectors(texts):
    """The unit vectors (float32, one row a text) of `texts`; an empty text gives zeros."""
    texts = list(texts)
    # In order of length: the model pads each batch of texts to its longest.
    order = sorted(range(len(texts)), key=lambda position: len(texts[position]))
    vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    vectors[order] = model().embed([texts[position] for position in order], norm=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def to_bytes(vector):
    """A unit vector as the bytes stored with a claim."""
    largest = float(np.abs(vector).max())
    scale = 127 / largest if largest else 0.0
    return np.round(vector * scale).astype(np.int8).tobytes()


def from_bytes(stored):
    """The unit vector (float32) of stored bytes, or None for none stored."""
    if not stored:
        return None
    vector = np.frombuffer(bytes(stored), dtype=np.int8).astype(np.float32)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def embeddings(texts):
    """The stored bytes of each of `texts`, in order."""
    return [to_bytes(vector) for vector in unit_vectors(texts)]


def embedding_of(summary, quote=""):
    return embeddings([claim_text(summary, quote)])[0]
