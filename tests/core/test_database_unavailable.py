"""A database error during a request answers the 503 page in the person's language."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db

MESSAGE = (
    "The service is briefly unavailable, so what you just did may not have been completed. "
    "Nothing saved before is lost. Please try again in a minute."
)


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_a_lost_database_connection_is_a_503_page_in_the_language_of_the_page(
    client, language, s3_bucket
):
    entry = team_entry(open_challenge(pitch_required=False), title="Mehr")
    client.force_login(entry.owner)
    with translation.override(language):
        url = reverse("submissions:entry", args=[entry.pk])
        message = gettext(MESSAGE)
    broken = OperationalError("server closed the connection unexpectedly")
    with mock.patch("submissions.services.entries.submit_entry", side_effect=broken):
        answer = client.post(url, {"title": "Mehr", "summary": "x", "action": "submit"})

    page = answer.content.decode()
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    assert f'<html lang="{language}">' in page
    assert message in page.replace("\n", " ")


def test_other_errors_are_not_turned_into_503(client, s3_bucket):
    entry = team_entry(open_challenge(pitch_required=False), title="Mehr")
    client.force_login(entry.owner)
    client.raise_request_exception = False
    with mock.patch("submissions.services.entries.submit_entry", side_effect=ValueError("bug")):
        answer = client.post(
            f"/en/me/entry/{entry.pk}/", {"title": "Mehr", "summary": "x", "action": "submit"}
        )
    assert answer.status_code == 500
