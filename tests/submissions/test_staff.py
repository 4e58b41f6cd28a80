import csv
import io
import re

import pytest

from submissions.models import StatusChange
from submissions.services import entries, files
from tests.submissions.builders import open_challenge, participant, pdf_upload, team_entry

pytestmark = pytest.mark.django_db


def _submitted(challenge, **profile):
    submission = team_entry(challenge)
    if profile:
        for name, value in profile.items():
            setattr(submission.owner.profile, name, value)
        submission.owner.profile.save()
    files.attach_file(
        submission=submission, kind="pitch_deck", uploaded=pdf_upload(), by=submission.owner
    )
    entries.submit_entry(submission=submission, by=submission.owner)
    return submission


def test_staff_list_shows_only_entries_of_managed_challenges(client, manager, s3_bucket):
    mine, other = open_challenge(), open_challenge()
    mine.managers.add(manager)
    visible = _submitted(mine)
    hidden = _submitted(other)
    client.force_login(manager)

    page = client.get("/admin/entries/").content.decode()

    assert visible.title in page
    assert hidden.title not in page
    # LocaleMiddleware retries a 404 under /<lang>/, where it is still a 404.
    assert client.get(f"/admin/entries/{hidden.pk}/", follow=True).status_code == 404


def test_staff_filters_by_gender_and_draft(client, manager, s3_bucket):
    challenge = open_challenge()
    challenge.managers.add(manager)
    woman = _submitted(challenge, gender="female")
    man = _submitted(challenge, gender="male")
    draft = team_entry(challenge)
    client.force_login(manager)

    page = client.get("/admin/entries/", {"gender": "female"}).content.decode()
    drafts = client.get("/admin/entries/", {"stage": "draft"}).content.decode()

    assert woman.title in page
    assert man.title not in page
    assert draft.title in drafts
    assert woman.title not in drafts


def test_staff_records_an_ineligibility_decision_with_its_reason(client, manager, s3_bucket):
    challenge = open_challenge()
    challenge.managers.add(manager)
    submission = _submitted(challenge)
    client.force_login(manager)

    missing = client.post(f"/admin/entries/{submission.pk}/", {"status": "ineligible"})
    assert "Give the reason" in missing.content.decode()
    client.post(
        f"/admin/entries/{submission.pk}/", {"status": "ineligible", "reason": "Team lives abroad"}
    )

    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == ("ineligible", "Team lives abroad")
    assert StatusChange.objects.filter(submission=submission, by=manager).count() == 1


def test_staff_csv_export_has_one_row_per_entry(client, manager, s3_bucket):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entries_ = [_submitted(challenge) for _ in range(3)]
    client.force_login(manager)

    answer = client.get("/admin/entries/", {"format": "csv", "challenge": challenge.pk})

    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "Challenge", "Team", "Title"]
    assert sorted(r[3] for r in rows[1:]) == sorted(e.title for e in entries_)
    assert {r[5] for r in rows[1:]} == {"submitted"}
    assert {r[15] for r in rows[1:]} == {"1"}


HOSTILE = '=HYPERLINK("http://evil.example","open")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_export_neutralises_formulas_in_participant_text(client, manager, s3_bucket, fmt):
    challenge = open_challenge()
    challenge.managers.add(manager)
    entry = _submitted(challenge)
    entry.title = HOSTILE
    entry.save(update_fields=["title"])
    entry.team.name = "+1+cmd"
    entry.team.save(update_fields=["name"])
    entry.owner.profile.full_name = "@SUM(A1)"
    entry.owner.profile.save()
    entry.status_reason = "-2+3"
    entry.save(update_fields=["status_reason"])
    entry.owner.email = "=cmd@evil.example"  # a valid address, and a formula
    entry.owner.save(update_fields=["email"])
    client.force_login(manager)

    answer = client.get("/admin/entries/", {"format": fmt, "challenge": challenge.pk})

    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        row = rows[1]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(answer.content)).active
        cells = list(sheet.iter_rows(values_only=False))[1]
        assert {c.data_type for c in cells[2:4] + cells[9:10]} == {"s"}
        assert cells[0].value == entry.pk  # numbers stay numbers
        row = [c.value for c in cells]
    assert (row[2], row[3], row[9]) == ("'+1+cmd", "'" + HOSTILE, "'@SUM(A1)")
    assert (row[6], row[10]) == ("'-2+3", "'=cmd@evil.example")
    # Every text a person typed, in whichever column: never a formula start.
    texts = [c for c in row if isinstance(c, str)]
    assert not [c for c in texts if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def _staff_list_queries(client, manager, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    challenge = open_challenge()
    challenge.managers.add(manager)
    for _ in range(n):
        team_entry(challenge)
    client.force_login(manager)
    client.get("/admin/entries/")  # warm the session and the admin's caches
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/entries/", {"challenge": challenge.pk}).content.decode()
    assert len(set(re.findall(r"/admin/entries/(\d+)/", page))) == n
    return len(queries)


def test_staff_list_query_count_is_flat(client, manager):
    assert _staff_list_queries(client, manager, 2) == _staff_list_queries(client, manager, 8)


def test_participant_cannot_open_the_staff_view(client):
    client.force_login(participant())

    assert client.get("/admin/entries/").status_code == 302
