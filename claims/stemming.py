"""Stems for search where the database has none (SQLite): "expelled" and "expelling" both find
"expel". PostgreSQL's full-text search stems with its own English dictionary."""

import functools

import snowballstemmer

_english = snowballstemmer.stemmer("english")
# Shorter stems match too much of every text ("us" in "discuss"): the word is searched as typed.
SHORTEST_STEM = 3


@functools.lru_cache(maxsize=1024)
def searched_fragment(word):
    """What a claim's text must contain to match `word`: the part of the word its stem keeps
    ("happy" stems to "happi": "happ"), or the word itself when that is too short."""
    word = word.casefold()
    stem = _english.stemWord(word)
    kept = 0
    while kept < min(len(stem), len(word)) and stem[kept] == word[kept]:
        kept += 1
    if stem.endswith("i") and kept == len(stem):
        kept -= 1  # the stemmer's "i" stands for a "y" or "ies" ("treaties", "treaty": "treat")
    return word[:kept] if kept >= SHORTEST_STEM else word
