"""When a claim was made, from the words around its attribution and the article's own date.

Rules first, for what wire copy says ("on the 21st", "on Tuesday", "last October", "in December
last year"); dateparser for the remaining relative phrases ("yesterday", "two days ago").
"""

import datetime
import re
from dataclasses import dataclass

import dateparser

from claims.choices import DatePrecision

from .article import MONTH, MONTHS, ORDINAL

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
YEAR_WORD = r"(?:\s+(?P<relative_year>this|last|next|the same|that) year)?"
FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}}){ORDINAL}|(?P<day2>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<month2>{MONTH}))"
    rf"(?!\s*-)(?:,?\s+(?P<year>\d{{4}}))?{YEAR_WORD}\b"
)
DAY_OF_MONTH = re.compile(r"\b(?:on|after|since|by) the (?P<day>\d{1,2})(?:st|nd|rd|th)\b", re.I)
WEEKDAY = re.compile(rf"\b(?:on |last )?(?P<weekday>{'|'.join(WEEKDAYS)})\b", re.I)
MONTH_ONLY = re.compile(
    rf"\b(?P<lead>in|last|this|early|late|mid-|since|during|of)\s*(?P<month>{MONTH})(?!\s+\d{{1,2}}\b)"
    rf"(?:,?\s+(?P<year>\d{{4}}))?{YEAR_WORD}",
    re.I,
)
YEAR_ONLY = re.compile(
    r"\b(?:in|of|during|since)\s+(?P<year>(?:19|20)\d\d)\b|\b(?P<year2>(?:19|20)\d\d) annual\b"
)
RELATIVE = re.compile(r"\b(?:yesterday|today|tonight|last month|\w+ (?:days|weeks|months) ago)\b", re.I)
# "last year", "in recent years": the year before the article's, and no finer.
LAST_YEAR = re.compile(r"\b(?:last year|in recent years)\b", re.I)
# "last week's decision", "Tuesday's vote" date the thing named, not the statement about it.
POSSESSIVE_TIME = re.compile(
    rf"\b(?:(?:last|this|next) (?:week|month|year)|(?:{'|'.join(WEEKDAYS)})|yesterday|today)['’]s?\b", re.I
)
SAME_TIME = re.compile(
    r"\b(?:on the same day|the same day|that day|at the same time|on that occasion)\b", re.I
)
RECENTLY = re.compile(r"\b(?:last week)\b", re.I)
# An interview the outlet itself conducted ("told this newspaper", "in an interview") was given some
# days before it ran: the month is sure, the day is not.
INTERVIEW = re.compile(
    r"\b(?:in an? (?:exclusive |recent )?interview"
    r"|told (?:this|our) (?:newspaper|paper|agency|reporter|correspondent)"
    r"|told (?:reporters|journalists) (?:of|from|in|at|with) this (?:newspaper|paper|agency))\b",
    re.I,
)
# "recently wrote" may be weeks back, across a month's end: only the year is sure.
LATELY = re.compile(r"\b(?:recently|lately)\b", re.I)
EARLIER = re.compile(r"\b(?:earlier|previously|in the past|before that)\b", re.I)
# Background ("signed in 1992") is not when anyone spoke: a context date older than this is ignored.
CONTEXT_REACH = datetime.timedelta(days=2 * 366)
THIS_WEEK = datetime.timedelta(days=7)


@dataclass
class StatedDate:
    date: datetime.date
    precision: str
    is_inferred: bool
    # How it was read, for the editor: the words that give it, or what it was inferred from.
    reason: str = ""


def _year(base, relative_year, stated_year):
    if stated_year:
        return int(stated_year)
    return base.year + {"last": -1, "next": 1}.get((relative_year or "").lower(), 0)


def _not_after(date, base, relative_year):
    """A date given without a year belongs to the latest such day not after the article."""
    if date > base and not relative_year:
        return _year_before(date)
    return date


def _year_before(date):
    """The same day a year earlier; a ValueError for 29 February, which that year has not."""
    return date.replace(year=date.year - 1)


def explicit_date(text, base):
    """The date `text` states, resolved against the article's `base` date, or None."""
    match = FULL_DATE.search(text)
    if match:
        month = MONTHS[(match.group("month") or match.group("month2")).rstrip(".").lower()]
        day = int(match.group("day") or match.group("day2"))
        try:
            date = datetime.date(_year(base, match.group("relative_year"), match.group("year")), month, day)
            if not match.group("year"):
                date = _not_after(date, base, match.group("relative_year"))
            if date > base and (match.group("relative_year") or "").lower() == "this":
                # Older copy reprinted later: "on May 22 this year" cannot be after the article.
                date = _year_before(date)
        except ValueError:  # a day the month does not have, or 29 February moved to a common year
            return None
        year_note = "" if match.group("year") else f", in the year of the article's date ({base})"
        return StatedDate(date, DatePrecision.DAY, False, f"'{match.group().strip()}'{year_note}")
    match = DAY_OF_MONTH.search(text)
    if match:
        day = int(match.group("day"))
        month_start = base.replace(day=1)
        if day > base.day:  # "on the 30th" in an article of the 2nd: last month
            month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
        try:
            return StatedDate(month_start.replace(day=day), DatePrecision.DAY, False, f"'{match.group()}'")
        except ValueError:
            return None
    match = WEEKDAY.search(text)
    if match:
        # Wire copy's "said on Tuesday" is the latest Tuesday up to the article's own day.
        days_back = (base.weekday() - WEEKDAYS.index(match.group("weekday").lower())) % 7
        if match.group().lower().startswith("last") and days_back == 0:
            days_back = 7
        weekday = match.group("weekday").capitalize()
        return StatedDate(
            base - datetime.timedelta(days=days_back),
            DatePrecision.DAY,
            False,
            f"'{match.group().strip()}': the last {weekday} on or before the article's date ({base})",
        )
    match = MONTH_ONLY.search(text)
    if match:
        month = MONTHS[match.group("month").rstrip(".").lower()]
        relative_year = match.group("relative_year")
        date = datetime.date(_year(base, relative_year, match.group("year")), month, 1)
        if match.group("lead").lower() == "last" and not match.group("year") and date >= base.replace(day=1):
            date = date.replace(year=date.year - 1)
        elif not match.group("year"):
            date = _not_after(date, base, relative_year)
        return StatedDate(date, DatePrecision.MONTH, False, f"'{match.group().strip()}'")
    match = YEAR_ONLY.search(text)
    if match:
        year = int(match.group("year") or match.group("year2"))
        return StatedDate(datetime.date(year, 1, 1), DatePrecision.YEAR, False, f"'{match.group().strip()}'")
    match = RELATIVE.search(text)
    if match:
        return _parsed_relative(match.group(), base)
    match = LAST_YEAR.search(text)
    if match:
        return StatedDate(datetime.date(base.year - 1, 1, 1), DatePrecision.YEAR, False, f"'{match.group()}'")
    return None


def _parsed_relative(phrase, base):
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.datetime.combine(base, datetime.time()),
            "PREFER_DATES_FROM": "past",
        },
    )
    if parsed is None:
        return None
    precision = DatePrecision.DAY
    if "month" in phrase.lower():
        precision = DatePrecision.MONTH
    elif "year" in phrase.lower():
        precision = DatePrecision.YEAR
    date = DatePrecision(precision).truncate(parsed.date())
    return StatedDate(date, precision, False, f"'{phrase}', from the article's date ({base})")


def _is_this_week(stated, base):
    return stated.precision == DatePrecision.DAY and base - stated.date < THIS_WEEK


def is_plausible_context(stated, base):
    """Whether a date read in passing still dates what follows: recent, and finer than a year (a
    background "last year" does not date the paragraphs after it)."""
    return (
        stated.precision == DatePrecision.DAY and stated.date <= base and base - stated.date <= CONTEXT_REACH
    )


def claim_date(frame, base, context, previous=None, context_is_in_paragraph=False):
    """When a claim whose attribution reads `frame` was made.

    An explicit date in the frame wins. "On the same day" takes the date the article last named.
    A speaker going on ("He added that") shares the date of their `previous` statement. Without
    any of these, an earlier date the article set the scene with (`context`) holds to its month,
    and failing that the article's own date, to the day; "last week" and an interview keep only the
    article's month, "recently" and "earlier" its year. A context of this week ("on Thursday") is
    the day of what its paragraph reports, and further on the article's own day, as wire copy
    dates the news it breaks.
    """
    frame = POSSESSIVE_TIME.sub("", frame)
    stated = explicit_date(frame, base)
    if stated and stated.date <= base:
        return stated
    if SAME_TIME.search(frame) and context:
        return StatedDate(context.date, context.precision, True, "'the same day' as the date named before")
    if RECENTLY.search(frame) or INTERVIEW.search(frame):
        return StatedDate(
            base.replace(day=1), DatePrecision.MONTH, True, "'last week' or an interview: the article's month"
        )
    if LATELY.search(frame) or EARLIER.search(frame):
        return StatedDate(
            base.replace(month=1, day=1),
            DatePrecision.YEAR,
            True,
            "'recently' or 'earlier': the article's year",
        )
    if previous is not None:
        return StatedDate(previous.date, previous.precision, True, "the speaker's statement just before")
    if context and context.date != base and _is_this_week(context, base):
        day = context.date if context_is_in_paragraph else base
        reason = (
            "the day the paragraph reports" if context_is_in_paragraph else f"the article's date ({base})"
        )
        return StatedDate(day, DatePrecision.DAY, True, reason)
    if context and context.date != base:
        precision = DatePrecision.YEAR if context.precision == DatePrecision.YEAR else DatePrecision.MONTH
        return StatedDate(
            DatePrecision(precision).truncate(context.date),
            precision,
            True,
            "the date the article named before",
        )
    return StatedDate(base, DatePrecision.DAY, True, f"the article's date ({base})")
