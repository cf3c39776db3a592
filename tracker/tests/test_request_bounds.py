"""Every request's work is bounded before it starts: a body too large is refused unread, each
endpoint takes the JSON it documents and no deeper or longer, and no query string makes a 500."""

import json
from unittest import mock

import pytest
from django.http.multipartparser import MultiPartParser

from claims.models import Claim
from claims.tests.factories import ActorFactory, PublishedClaimFactory, TopicFactory
from tracker.parsers import JSON_LIST_MAX_ITEMS, JSON_MAX_DEPTH

pytestmark = pytest.mark.django_db

GIBIBYTE = str(1024**3)


def never_parsed():
    return mock.patch.object(MultiPartParser, "parse", side_effect=AssertionError("the body was read"))


def test_a_gibibyte_upload_to_the_admins_sign_in_is_refused_unread(client):
    with never_parsed():
        response = client.post(
            "/admin/login/",
            data=b"--x\r\n",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=GIBIBYTE,
        )
    assert response.status_code == 413
    assert "larger than the 6 MB taken" in response.content.decode()


def test_a_gibibyte_body_to_the_api_is_a_json_413(api):
    response = api.generic("POST", "/api/v1/auth/token/", b"{}", "application/json", CONTENT_LENGTH=GIBIBYTE)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_a_body_of_unknown_length_is_refused(api):
    response = api.generic(
        "POST", "/api/v1/auth/token/", b"", "application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def test_the_token_endpoint_takes_json_only(api):
    response = api.post(
        "/api/v1/auth/token/",
        data=b"--x\r\nContent-Disposition: form-data; name=username\r\n\r\nalice\r\n--x--\r\n",
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 415


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/",
        "/api/v1/citations/",
        "/api/v1/relations/",
        "/api/v1/imports/",
        "/api/v1/auth/token/",
    ],
)
def test_json_nested_a_thousand_deep_is_a_400_on_every_json_endpoint(editor_api, path):
    body = '{"topics": ' + nested(1000) + "}"
    response = editor_api.generic("POST", path, body, "application/json")
    assert response.status_code == 400
    assert response.json()["topics"] == [f"Nested deeper than {JSON_MAX_DEPTH} levels."]


def test_json_nested_past_the_parsers_own_limit_is_a_400(editor_api):
    response = editor_api.generic("POST", "/api/v1/claims/", nested(5000), "application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_hundred_thousand_topic_slugs_are_a_400_naming_topics(editor_api):
    speaker, topic = ActorFactory(), TopicFactory()
    claim = {
        "summary": "A claim.",
        "speaker": speaker.slug,
        "kind": "assertion",
        "stated_on": "2020-05-21",
        "topics": [topic.slug] * 100_000,
    }
    response = editor_api.generic("POST", "/api/v1/claims/", json.dumps(claim), "application/json")
    assert response.status_code == 400
    assert response.json() == {"topics": [f"At most {JSON_LIST_MAX_ITEMS} items in a list, not 100000."]}
    assert not Claim.objects.exists()


@pytest.mark.parametrize("parameter", ["speaker", "target", "topic"])
@pytest.mark.parametrize("value", ["%", "%s", "%(x)s", "100%d"])
def test_a_percent_sign_in_a_record_filter_is_a_404_naming_the_parameter(api, parameter, value):
    PublishedClaimFactory()
    response = api.get("/api/v1/claims/", {parameter: value})
    assert response.status_code == 404
    assert response.json()[parameter] == [
        f"No {'topic' if parameter == 'topic' else 'actor'} has the slug {value!r}."
    ]


@pytest.mark.parametrize("parameter", ["speaker", "topic", "q"])
def test_a_percent_sign_in_the_readers_filters_is_served(client, parameter):
    PublishedClaimFactory()
    assert client.get("/claims/", {parameter: "%s%"}).status_code == 200


def test_a_nul_in_the_admins_autocomplete_term_is_a_400(editor_client):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "Gru\x00shko", "app_label": "claims", "model_name": "claim", "field_name": "speaker"},
    )
    assert response.status_code == 400


def test_a_nul_in_an_api_parameter_is_a_400_naming_it(api):
    response = api.get("/api/v1/claims/", {"q": "treaty\x00"})
    assert (response.status_code, response.json()) == (400, {"q": ["A NUL character is not allowed."]})
