"""Lists of claims a reader walks through, newest first, however long they are: a page found from the
claim where the reader left off (`ClaimPage`)."""

import datetime

from tracker.pages import PAGE_SIZE


def position(text):
    """(date, primary key) from "2020-05-21:123", or None for anything else."""
    day, _, pk = text.partition(":")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def position_of(claim):
    return f"{claim.stated_on}:{claim.pk}"


def first_rows(claims, order, count):
    """The first `count` of `claims` in `order`, found by their keys first and then read whole.
    Finding the keys reads only the index of the order (dates and keys) and, for a topic's list,
    the index of the claims' topics: where a topic's claims are one in ten, the database skips
    the other nine in the indexes instead of reading each whole row to test it."""
    keys = claims.order_by(*order).values("pk")[:count]
    return list(claims.filter(pk__in=keys).order_by(*order))


class ClaimPage:
    """A page of `claims` in the lists' order, newest first (`-stated_on`, `-pk`), found from the
    claim where the reader left off rather than by a page number: `?before=<date>:<id>` gives the
    claims after that one (earlier ones), `?after=` those before it (newer ones). A page far back
    costs what the first does: the database starts reading at the position, where a page number
    makes it read past every claim before the page. On a page with two lists, each has its own
    parameters (`prefix`).

    `claims` (the page's rows), `has_newer`, `has_earlier`, and the links `newer_url`,
    `earlier_url` and `latest_url` (the query string, with the other lists' and the filters'
    parameters kept)."""

    def __init__(self, request, claims, *, prefix="", size=PAGE_SIZE):
        self.query = request.GET
        self.before_parameter, self.after_parameter = f"{prefix}before", f"{prefix}after"
        before = position(self.query.get(self.before_parameter, ""))
        after = None if before else position(self.query.get(self.after_parameter, ""))
        rows = []
        if after:
            rows = first_rows(claims.after(*after), ["stated_on", "pk"], size + 1)
        if len(rows) > size:
            self.claims, self.has_newer = rows[size - 1 :: -1], True
            oldest = self.claims[-1]
            self.has_earlier = claims.before(oldest.stated_on, oldest.pk).exists()
        else:
            # No more than a page's worth of newer claims: the latest page, as it is now.
            if before:
                claims = claims.before(*before)
            rows = first_rows(claims, ["-stated_on", "-pk"], size + 1)
            self.claims, self.has_newer, self.has_earlier = rows[:size], before is not None, len(rows) > size

    def __iter__(self):
        return iter(self.claims)

    def __len__(self):
        return len(self.claims)

    def link(self, parameter=None, claim=None):
        query = self.query.copy()
        for name in (self.before_parameter, self.after_parameter, "page"):
            query.pop(name, None)
        if parameter:
            query[parameter] = position_of(claim)
        return f"?{query.urlencode(safe=':')}" if query else "?"

    @property
    def earlier_url(self):
        return self.link(self.before_parameter, self.claims[-1]) if self.has_earlier else None

    @property
    def newer_url(self):
        return self.link(self.after_parameter, self.claims[0]) if self.has_newer and self.claims else None

    @property
    def latest_url(self):
        return self.link() if self.has_newer else None
