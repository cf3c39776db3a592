import datetime

import pytest
from django.contrib.auth.models import Permission

from claims.tests.factories import UserFactory
from claims.tests.test_admin import admin_url
from sources.models import Source
from tracker.tests.two_factor import sign_in_with_code

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def source_form_data(**fields):
    """The POST of the admin's source form, with its (read-only) list of citations."""
    data = {
        "title": "Grushko: the US withdrawal destroys a pillar of European security",
        "slug": "",
        "kind": "news_article",
        "outlet": "China News Service",
        "author": "",
        "published_on": "2020-05-21",
        "language": "en",
        "url": "",
        "archive_url": "",
        "retrieved_on": "",
        "full_text": "",
        "notes": "",
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
    }
    return {**data, **fields}


class TestDuplicateUrls:
    def test_adding_a_source_with_a_recorded_url_names_and_links_the_source_that_has_it(self, editor_client):
        existing = SourceFactory(title="Grushko interview", url="https://example.org/grushko")
        data = source_form_data(url="https://example.org/grushko")
        response = editor_client.post(admin_url("sources.source", "add"), data)
        assert response.status_code == 200
        link = f'<a href="{admin_url("sources.source", "change", existing.pk)}">Grushko interview</a>'
        assert f"A source with this URL already exists: {link}" in response.content.decode()
        assert "source_unique_url" not in response.content.decode()
        assert Source.objects.count() == 1

    def test_saving_a_source_again_keeps_its_own_url(self, editor_client):
        source = SourceFactory(url="https://example.org/grushko")
        data = source_form_data(title=source.title, slug=source.slug, url=source.url)
        response = editor_client.post(admin_url("sources.source", "change", source.pk), data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    def test_sources_without_a_url_are_not_duplicates(self, editor_client):
        SourceFactory(url="")
        response = editor_client.post(admin_url("sources.source", "add"), source_form_data(url=""))
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Source.objects.count() == 2


class TestDates:
    def test_a_date_written_day_first_or_month_first_is_refused_with_the_format_to_use(self, editor_client):
        data = source_form_data(published_on="02/03/2023", retrieved_on="3.2.2023")
        response = editor_client.post(admin_url("sources.source", "add"), data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors["published_on"] == ["Enter the date as YYYY-MM-DD, e.g. 2020-05-21."]
        assert errors["retrieved_on"] == ["Enter the date as YYYY-MM-DD, e.g. 2020-05-21."]
        assert not Source.objects.exists()

    def test_a_date_written_yyyy_mm_dd_is_saved_as_that_day(self, editor_client):
        data = source_form_data(published_on="2023-02-03", retrieved_on="2023-02-04")
        response = editor_client.post(admin_url("sources.source", "add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        source = Source.objects.get()
        assert source.published_on == datetime.date(2023, 2, 3)
        assert source.retrieved_on == datetime.date(2023, 2, 4)


class TestAddingClaimsFromASource:
    def test_a_sources_page_offers_to_add_a_claim_cited_from_it(self, editor_client):
        source = SourceFactory()
        page = editor_client.get(admin_url("sources.source", "change", source.pk)).content.decode()
        add_claim = f"{admin_url('claims.claim', 'add')}?citation_source={source.pk}"
        assert f'<a href="{add_claim}" class="addlink">Add a claim cited from this source</a>' in page

    def test_the_offer_is_not_made_to_someone_who_cannot_add_claims(self, client):
        source = SourceFactory()
        reader = UserFactory(is_staff=True)
        reader.user_permissions.add(Permission.objects.get(codename="view_source"))
        sign_in_with_code(client, reader)
        page = client.get(admin_url("sources.source", "change", source.pk)).content.decode()
        assert "Add a claim cited from this source" not in page
