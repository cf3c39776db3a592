from django.conf import settings

SITE_DESCRIPTION = (
    "Who claimed what, when, against whom, on what evidence, and who disputed it: "
    "a public record of claims and counter-claims, each with its sources and an evidence status."
)


def public_pages(request):
    """The site's name and the page's canonical address, for every template's head and footer."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": SITE_DESCRIPTION,
        "corrections_email": settings.CORRECTIONS_EMAIL,
        "canonical_url": request.build_absolute_uri(request.path),
    }
