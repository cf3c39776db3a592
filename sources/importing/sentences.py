"""Splitting a paragraph into sentences, keeping each one's place in the paragraph."""

import re

ABBREVIATIONS = frozenset(
    [
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "sen",
        "rep",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "e.g",
        "i.e",
        "jr",
        "sr",
        "gov",
        "prof",
        "inc",
        "co",
        "corp",
        "ltd",
        "adm",
        "maj",
        "capt",
        "sgt",
    ]
)
BOUNDARY = re.compile(r"[.!?]+[\"”’')]*\s+")
QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")


def sentence_spans(paragraph):
    """(start, end) of each sentence: a full stop followed by a capital, a digit or a quotation mark
    ends one, unless it closes an abbreviation ("U.S.") or an initial ("J.")."""
    start = 0
    for boundary in BOUNDARY.finditer(paragraph):
        following = paragraph[boundary.end() : boundary.end() + 1]
        if not (following.isupper() or following.isdigit() or following in '"“‘('):
            continue
        last_word = paragraph[start : boundary.start()].rsplit(None, 1)[-1:] or [""]
        token = last_word[0].lstrip('"“(').lower()
        if paragraph[boundary.start()] == "." and (
            token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())
        ):
            continue
        yield start, boundary.end() - (len(boundary.group()) - len(boundary.group().rstrip()))
        start = boundary.end()
    if start < len(paragraph):
        yield start, len(paragraph.rstrip())


def quotations(text):
    """The words inside quotation marks, straight or curly."""
    return [match.group(1).strip() for match in QUOTED.finditer(text) if len(match.group(1).split()) >= 2]


def inside_quotation(text, position):
    """Whether `position` falls between an opening and a closing quotation mark."""
    return any(match.start() < position < match.end() for match in QUOTED.finditer(text))
