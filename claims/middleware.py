"""Old URLs of merged records answer 301 to the kept record's, as django.contrib.redirects does
for moved pages: only once the URL would otherwise be a 404."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .models import MergedRecord

# The URLs that name one record: the model, and the URL keyword that names the record.
RECORD_URLS = {
    "claims:claim-detail": ("claims.Claim", "slug"),
    "claims:actor-detail": ("claims.Actor", "slug"),
    "claims:topic-detail": ("claims.Topic", "slug"),
    "claims:topic-feed": ("claims.Topic", "slug"),
    "sources:source-detail": ("sources.Source", "slug"),
    "api:claim-detail": ("claims.Claim", "pk"),
    "api:actor-detail": ("claims.Actor", "pk"),
    "api:topic-detail": ("claims.Topic", "pk"),
    "api:source-detail": ("sources.Source", "pk"),
}


class MergedRecordRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        match = request.resolver_match
        if match is None or match.view_name not in RECORD_URLS:
            return response
        return self.redirect_to_kept_record(request, match) or response

    def redirect_to_kept_record(self, request, match):
        model_label, keyword = RECORD_URLS[match.view_name]
        model = apps.get_model(model_label)
        value = match.kwargs.get(keyword, "")
        if keyword == "slug":
            lookup = {"merged_slug": value}
        elif str(value).isdigit():
            lookup = {"merged_id": int(value)}
        else:
            return None
        merge = (
            MergedRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), **lookup)
            .order_by("-merged_at", "-pk")
            .first()
        )
        # Only to a record this client may see: a redirect must not reveal a draft's slug.
        kept = merge and model._default_manager.visible_to(request.user).filter(pk=merge.kept_id).first()
        if not kept:
            return None
        url = reverse(match.view_name, kwargs={**match.kwargs, keyword: getattr(kept, keyword)})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
