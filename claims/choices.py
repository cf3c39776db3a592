"""The tracker's vocabularies, defined once and imported wherever their labels are shown."""

import datetime

from django.db import models


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    STATE = "state", "State"


class ClaimKind(models.TextChoices):
    ACCUSATION = "accusation", "Accusation"
    DENIAL = "denial", "Denial"
    COUNTER_ACCUSATION = "counter_accusation", "Counter-accusation"
    ASSERTION = "assertion", "Assertion"
    POSITION = "position", "Position"
    ASSESSMENT = "assessment", "Assessment"

    @classmethod
    def accusations(cls):
        return [cls.ACCUSATION, cls.COUNTER_ACCUSATION]

    @classmethod
    def answers_to_accusations(cls):
        """The kinds that dispute an accusation they answer (any other kind responds to it)."""
        return [cls.DENIAL, cls.COUNTER_ACCUSATION]


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"

    def truncate(self, date):
        """The first day of the period this precision names, so equal periods compare equal."""
        if self == DatePrecision.YEAR:
            return datetime.date(date.year, 1, 1)
        if self == DatePrecision.MONTH:
            return datetime.date(date.year, date.month, 1)
        return date

    def period_end(self, date):
        """The last day of the period (day, month or year) that starts on `date`."""
        start = self.truncate(date)
        if self == DatePrecision.YEAR:
            return datetime.date(start.year, 12, 31)
        if self == DatePrecision.MONTH:
            next_month = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return next_month - datetime.timedelta(days=1)
        return start

    def iso_format(self, date):
        """The date as ISO 8601 writes it at this precision: "2020-05-21", "2020-05" or "2020"."""
        return date.isoformat()[: {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(self, 10)]

    def format(self, date):
        if self == DatePrecision.YEAR:
            return f"{date.year}"
        if self == DatePrecision.MONTH:
            return date.strftime("%B %Y")
        return f"{date.day} {date:%B %Y}"


class EvidenceStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Not yet reviewed"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    DISPUTED = "disputed", "Disputed"
    SUPPORTED = "supported", "Supported"
    CONFIRMED = "confirmed", "Confirmed"
    CONTRADICTED = "contradicted", "Contradicted"

    @property
    def meaning(self):
        return _EVIDENCE_MEANINGS[self]

    @property
    def claim_review_rating(self):
        """schema.org ClaimReview ratingValue on a 1 (worst) to 5 (best) scale; None when unreviewed."""
        return _CLAIM_REVIEW_RATINGS.get(self)

    @property
    def is_reviewed(self):
        return self != EvidenceStatus.UNREVIEWED


_EVIDENCE_MEANINGS = {
    EvidenceStatus.UNREVIEWED: "No editor has assessed it.",
    EvidenceStatus.UNSUBSTANTIATED: "Asserted without public evidence.",
    EvidenceStatus.DISPUTED: "Contested by a party; the record does not settle it.",
    EvidenceStatus.SUPPORTED: "Credible evidence in the cited sources supports it.",
    EvidenceStatus.CONFIRMED: "Independently established or admitted.",
    EvidenceStatus.CONTRADICTED: "Credible evidence contradicts it.",
}

_CLAIM_REVIEW_RATINGS = {
    EvidenceStatus.CONTRADICTED: 1,
    EvidenceStatus.UNSUBSTANTIATED: 2,
    EvidenceStatus.DISPUTED: 3,
    EvidenceStatus.SUPPORTED: 4,
    EvidenceStatus.CONFIRMED: 5,
}


class Attribution(models.TextChoices):
    ON_RECORD = "on_record", "On record"
    REPORTED = "reported", "Reported"
    CONTESTED = "contested", "Contested"


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class TombstoneState(models.TextChoices):
    """Why a claim that was public is no longer: researchers' replicas delete it either way."""

    WITHDRAWN = "withdrawn", "Withdrawn (back to draft)"
    MERGED = "merged", "Merged into another claim"


class RelationType(models.TextChoices):
    DISPUTES = "disputes", "Disputes"
    SUPPORTS = "supports", "Supports"
    RESPONDS_TO = "responds_to", "Responds to"
    REPEATS = "repeats", "Repeats"

    @property
    def inverse_label(self):
        """How the relation reads from the other claim's side."""
        return _INVERSE_LABELS[self]


_INVERSE_LABELS = {
    RelationType.DISPUTES: "Disputed by",
    RelationType.SUPPORTS: "Supported by",
    RelationType.RESPONDS_TO: "Answered by",
    RelationType.REPEATS: "Repeated by",
}
