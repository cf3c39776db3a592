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


# A sentence is read whole while a quotation it opens is still open ("“This is not how a partner
# behaves. We will not …,” the minister said."), up to this many characters; and no sentence is
# read longer than `MAX_SENTENCE_CHARS`, so that a text without full stops costs what its length does.
MAX_QUOTED_SENTENCE_CHARS = 1200
MAX_SENTENCE_CHARS = 2000
LAST_WORD_REACH = 40


def sentence_spans(paragraph):
    """(start, end) of each sentence: a full stop followed by a capital, a digit or a quotation mark
    ends one, unless it closes an abbreviation ("U.S.") or an initial ("J."), or a quotation the
    sentence opened is still open."""
    for start, end in _sentences(paragraph):
        while end - start > MAX_SENTENCE_CHARS:
            cut = paragraph.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            yield start, cut
            start = cut
        yield start, end


def _sentences(paragraph):
    start = 0
    for boundary in BOUNDARY.finditer(paragraph):
        following = paragraph[boundary.end() : boundary.end() + 1]
        if not (following.isupper() or following.isdigit() or following in '"“‘('):
            continue
        window = paragraph[max(start, boundary.start() - LAST_WORD_REACH) : boundary.start()]
        last_word = window.rsplit(None, 1)[-1:] or [""]
        token = last_word[0].lstrip('"“(').lower()
        if paragraph[boundary.start()] == "." and (
            token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())
        ):
            continue
        end = boundary.end() - (len(boundary.group()) - len(boundary.group().rstrip()))
        if end - start < MAX_QUOTED_SENTENCE_CHARS and _quotation_open(paragraph[start:end]):
            continue
        yield start, end
        start = boundary.end()
    if start < len(paragraph):
        yield start, len(paragraph.rstrip())


def _quotation_open(text):
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def quotations(text):
    """The words inside quotation marks, straight or curly."""
    return [match.group(1).strip() for match in QUOTED.finditer(text) if len(match.group(1).split()) >= 2]


def inside_quotation(text, position):
    """Whether `position` falls between an opening and a closing quotation mark."""
    return any(match.start() < position < match.end() for match in QUOTED.finditer(text))
