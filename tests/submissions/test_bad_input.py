"""Requests the pages never send (ids that are not numbers, JSON nested too deep): a clear,
translated 400 and nothing changed — never a 500."""

import json

import pytest
from django.urls import reverse

from submissions.models import SubmissionFile, TeamMembership
from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["transfer", "remove"])
@pytest.mark.parametrize("user", ["abc", "", "1.5", "-1", "9" * 40])
def test_a_team_action_about_a_person_who_is_not_a_number_is_refused(client, action, user):
    submission = team_entry(open_challenge(), members=1)
    team = submission.team
    client.force_login(team.lead)

    answer = client.post(
        reverse("submissions:team", args=[team.pk]), {"action": action, "user": user}
    )

    assert answer.status_code == 400
    assert "Choose a member of the team." in answer.content.decode()
    team.refresh_from_db()
    assert team.lead == submission.owner
    assert TeamMembership.objects.filter(team=team).count() == 2


def test_an_upload_slot_request_nested_too_deep_is_not_understood(client, s3_bucket):
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)
    body = "[" * 100_000 + "]" * 100_000

    answer = client.post(
        reverse("submissions:file_slot", args=[submission.pk]),
        data=body,
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == "The upload request was not understood."
    assert not SubmissionFile.objects.exists()


@pytest.mark.parametrize(
    "size", ["1e400", "Infinity", "-Infinity", "NaN", "true", "[1]", '{"a": 1}', '"12"x']
)
def test_an_upload_slot_size_that_is_no_whole_number_is_not_understood(client, s3_bucket, size):
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)
    body = '{"kind": "pitch_deck", "name": "deck.pdf", "content_type": "application/pdf", '
    body += f'"size": {size}}}'

    answer = client.post(
        reverse("submissions:file_slot", args=[submission.pk]),
        data=body,
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == "The upload request was not understood."
    assert not SubmissionFile.objects.exists()


@pytest.mark.parametrize("sha256", [["a"], {"x": 1}, 12])
def test_an_upload_slot_checksum_that_is_not_text_is_refused(client, s3_bucket, sha256):
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)
    payload = {
        "kind": "pitch_deck",
        "name": "deck.pdf",
        "content_type": "application/pdf",
        "size": 10,
        "sha256": sha256,
    }

    answer = client.post(
        reverse("submissions:file_slot", args=[submission.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert not SubmissionFile.objects.exists()
