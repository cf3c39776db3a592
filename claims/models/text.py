"""Slugs, names and aliases as the records spell them: plain functions, no queries but
`unique_slug`'s."""

import unicodedata

from django.utils.text import slugify

from ..choices import (
    ActorKind,
    DatePrecision,
)


def unique_slug(instance, text, max_length=80):
    """A slug made from `text`, cut at a word boundary, suffixed with -2, -3... until no other row
    of the model has it."""
    base = slugify(text)
    if len(base) > max_length:
        base = base[: max_length + 1].rsplit("-", 1)[0]
    base = base[:max_length].strip("-") or instance._meta.model_name
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    slug, counter = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{counter}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return slug


# Words that carry no gist in a slug.
SLUG_STOP_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "that",
        "this",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "it",
        "his",
        "her",
        "their",
        "as",
        "said",
        "says",
        "say",
        "not",
        "no",
        "will",
        "would",
        "could",
        "should",
    )
)


def claim_slug_text(claim, gist_words=6):
    """What a claim's slug is made from, as the dataset's slugs read: the speaker's surname (or a
    short name for an organization or state), the gist of the summary and the date at its
    precision, e.g. "ryabkov us accusation unfounded 2020-07"."""
    speaker_words = slugify(claim.speaker.name).split("-")
    who = speaker_words[-1] if claim.speaker.kind == ActorKind.PERSON else claim.speaker.slug
    known = set(speaker_words) | set(who.split("-"))
    words = [word for word in slugify(claim.summary).split("-") if word not in SLUG_STOP_WORDS | known]
    date = DatePrecision(claim.stated_on_precision).iso_format(claim.stated_on)
    return " ".join([who, *words[:gist_words], date])


def split_aliases(text):
    """The aliases of a one-per-line text field, stripped, without blanks or repeats."""
    aliases = []
    for line in text.splitlines():
        alias = line.strip()
        if alias and alias not in aliases:
            aliases.append(alias)
    return aliases


def plain_name(text):
    """`text` compared as a name: without accents, case or extra spaces ("Borrell" = "borréll ")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def importer_aliases(aliases, unpublished_aliases):
    """An actor's aliases as the importer matches them, one per line: the public ones and those
    learned from imported articles that no published claim quotes yet."""
    return "\n".join(split_aliases(f"{aliases}\n{unpublished_aliases}"))
