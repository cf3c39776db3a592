"""Structured data for search engines: a reviewed claim's schema.org ClaimReview (JSON-LD)."""

from django.conf import settings

from .choices import ActorKind, DatePrecision


def iso_date_at_precision(claim):
    """ISO 8601 at the claim's precision: 2020-05-21, 2020-05 or 2020."""
    precision = DatePrecision(claim.stated_on_precision)
    if precision == DatePrecision.YEAR:
        return f"{claim.stated_on:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{claim.stated_on:%Y-%m}"
    return claim.stated_on.isoformat()


def claim_review(claim, request, last_reviewed):
    """schema.org ClaimReview for Google's fact-check rich results; None for an unreviewed claim."""
    status = claim.status
    if not status.is_reviewed:
        return None
    speaker = claim.speaker
    author = {"@type": "Person" if speaker.kind == ActorKind.PERSON else "Organization", "name": speaker.name}
    if speaker.kind == ActorKind.PERSON and claim.speaker_role:
        author["jobTitle"] = claim.speaker_role
    if speaker.wikidata_id:
        author["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
    appearances = []
    for source in claim.cited_sources():
        work = {"@type": "CreativeWork", "headline": source.title}
        if source.url or source.archive_url:
            work["url"] = source.url or source.archive_url
        if source.published_on:
            work["datePublished"] = source.published_on.isoformat()
        if source.known_outlet:
            work["publisher"] = {"@type": "Organization", "name": source.known_outlet}
        appearances.append(work)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": claim.summary,
        "datePublished": claim.published_at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": status.claim_review_rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": status.label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": author,
            "datePublished": iso_date_at_precision(claim),
            "appearance": appearances,
        },
    }
    if last_reviewed:
        review["dateModified"] = last_reviewed.date().isoformat()
    return review
