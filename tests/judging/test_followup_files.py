"""Follow-up forms ask for files too: the entry's one upload path, the round's deadline.

A file question of a round's follow-up is an upload slot like the entry form's, verified in
S3 (moto over HTTP), open to the entry's team until the round's follow-up deadline, sent to
the jury with the answers, never part of the entry's own versions. Follow-up answers are in
the round's export and on the screening page; a question with draft answers is archived,
not deleted.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict
from judging.enums import RoundMode
from judging.models import FollowUpAnswers
from judging.services.followups import request_followup, save_followup
from submissions.enums import FileStatus
from submissions.models import SubmissionFile
from submissions.services import entries, files
from submissions.services.errors import ActionRefused
from tests.factories import EntryFieldFactory, SuperuserFactory, TeamMembershipFactory
from tests.judging.helpers import assign, make_entries, make_juror, make_round
from tests.submissions.builders import pdf_upload

pytestmark = pytest.mark.django_db

KIND = "budget_plan"


def asked_round(*, deadline=None, required=True, **round_extra):
    """A round whose follow-up asks for a budget (text) and a budget plan (a PDF file),
    with two entries in scope, asked by staff."""
    round_ = make_round(**round_extra)
    challenge = round_.challenge
    questions = [
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            clean_name="budget_note",
            label="Byudjet izohi",
            label_en="About the budget",
            visibility="staff",
        ),
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            field_type="file",
            file_kind=KIND,
            clean_name="budget_plan",
            label="Byudjet rejasi",
            label_en="Budget plan",
            accepted_types="application/pdf",
            max_size_mb=2,
            max_files=2,
            required=required,
        ),
    ]
    round_.followup_questions.set(questions)
    round_.followup_deadline = deadline or timezone.now() + timedelta(days=3)
    round_.save()
    made = make_entries(challenge, 2)
    request_followup(round_=round_, by=SuperuserFactory())
    return round_, made


def page(entry, round_):
    return reverse("judging:followup", args=[entry.pk, round_.pk])


def upload(client, entry, round_, body=None, name="plan.pdf", content_type="application/pdf"):
    upload = pdf_upload(name) if body is None else pdf_upload(name, body, content_type)
    return client.post(
        reverse("submissions:file_upload", args=[entry.pk]),
        {"kind": KIND, "file": upload, "next": page(entry, round_)},
    )


def test_the_team_attaches_a_followup_file_and_returns_to_the_followup(client, s3_bucket):
    round_, (entry, _other) = asked_round()
    client.force_login(entry.team.lead)

    html = client.get(page(entry, round_)).content.decode()
    assert "Budget plan" in html
    assert 'id="upload-form"' in html

    response = upload(client, entry, round_)

    assert response.status_code == 302
    assert response["Location"] == page(entry, round_)
    stored = SubmissionFile.objects.get(submission=entry, kind=KIND)
    assert stored.status == FileStatus.VERIFIED
    assert "plan.pdf" in client.get(page(entry, round_)).content.decode()


def test_a_submit_needs_the_required_file_then_freezes_it_for_the_jury(client, s3_bucket):
    round_, (entry, _other) = asked_round()
    lead = entry.team.lead
    client.force_login(lead)

    response = client.post(page(entry, round_), {"budget_note": "Kam", "action": "submit"})
    assert response.status_code == 400
    assert "A file is missing: Budget plan." in response.content.decode()
    assert not FollowUpAnswers.objects.filter(submitted_at__isnull=False).exists()

    upload(client, entry, round_)
    response = client.post(page(entry, round_), {"budget_note": "Kam", "action": "submit"})
    assert response.status_code == 302
    sent = FollowUpAnswers.objects.get(round=round_, submission=entry)
    assert [f["name"] for f in sent.files] == ["plan.pdf"]
    assert sent.files[0]["key"] == SubmissionFile.objects.get(kind=KIND).key

    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    client.force_login(juror.user)
    html = client.get(reverse("judging:review", args=[round_.pk, review.pk])).content.decode()
    link = reverse("judging:download", args=[round_.pk, review.pk, 0])
    assert f'href="{link}"' in html
    assert "plan.pdf" in html
    download = client.get(link)
    assert download.status_code == 302
    assert sent.files[0]["key"] in download["Location"]
    assert (
        client.get(reverse("judging:download", args=[round_.pk, review.pk, 1])).status_code == 404
    )


def test_a_followup_file_is_not_part_of_the_entrys_versions(client, s3_bucket):
    round_, (entry, _other) = asked_round()
    client.force_login(entry.team.lead)
    upload(client, entry, round_)

    _data, version_files = entries.snapshot(entry)

    assert version_files == []
    assert not entries.has_unsubmitted_changes(entry)


def test_after_the_followup_deadline_a_file_is_refused_and_nothing_is_stored(client, s3_bucket):
    round_, (entry, _other) = asked_round()
    round_.followup_deadline = timezone.now() - timedelta(minutes=1)
    round_.save(update_fields=["followup_deadline"])
    client.force_login(entry.team.lead)

    response = upload(client, entry, round_)
    slot = client.post(
        reverse("submissions:file_slot", args=[entry.pk]),
        {"kind": KIND, "name": "plan.pdf", "content_type": "application/pdf", "size": 500},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert slot.status_code == 400
    assert "follow-up deadline has passed" in slot.json()["error"]
    assert not SubmissionFile.objects.filter(submission=entry).exists()


def test_a_pending_followup_upload_confirmed_after_the_deadline_is_discarded(s3_bucket):
    round_, (entry, _other) = asked_round()
    lead = entry.team.lead
    pending, _slot = files.request_upload(
        submission=entry,
        kind=KIND,
        filename="plan.pdf",
        content_type="application/pdf",
        size=400,
        by=lead,
    )
    round_.followup_deadline = timezone.now() - timedelta(seconds=1)
    round_.save(update_fields=["followup_deadline"])

    with pytest.raises(ActionRefused):
        files.confirm_upload(file=pending, by=lead)

    pending.refresh_from_db()
    assert pending.status == FileStatus.REJECTED


def test_only_a_team_asked_by_an_open_round_may_upload_followup_files(client, s3_bucket):
    round_, (entry, other) = asked_round()
    out_of_scope = make_entries(round_.challenge, 1, status="ineligible")[0]
    mentor = TeamMembershipFactory(team=entry.team, role="mentor").user
    wrong_type = pdf_upload("plan.txt", b"just text", "text/plain")

    def attempt(user, target):
        return files.request_upload(
            submission=target,
            kind=KIND,
            filename="plan.pdf",
            content_type="application/pdf",
            size=400,
            by=user,
        )

    with pytest.raises(ActionRefused):
        attempt(other.team.lead, entry)  # another team
    with pytest.raises(ActionRefused):
        attempt(mentor, entry)  # a mentor reads, does not change
    with pytest.raises(ActionRefused):
        attempt(out_of_scope.team.lead, out_of_scope)  # not in the round's scope
    with pytest.raises(ActionRefused, match="PDF"):
        files.attach_file(submission=entry, kind=KIND, uploaded=wrong_type, by=entry.team.lead)
    assert not SubmissionFile.objects.exists()


def test_before_staff_ask_nobody_may_upload_followup_files(s3_bucket):
    round_ = make_round()
    question = EntryFieldFactory(
        challenge=round_.challenge,
        stage="followup",
        field_type="file",
        file_kind=KIND,
        accepted_types="application/pdf",
    )
    round_.followup_questions.set([question])
    round_.followup_deadline = timezone.now() + timedelta(days=2)
    round_.save()
    (entry,) = make_entries(round_.challenge, 1)

    with pytest.raises(ActionRefused):
        files.attach_file(submission=entry, kind=KIND, uploaded=pdf_upload(), by=entry.team.lead)
    assert not SubmissionFile.objects.exists()


def test_removing_a_sent_followup_file_keeps_it_for_the_jury(client, s3_bucket):
    round_, (entry, _other) = asked_round(required=False)
    lead = entry.team.lead
    client.force_login(lead)
    upload(client, entry, round_)
    sent_file = SubmissionFile.objects.get(kind=KIND)
    save_followup(round_=round_, submission=entry, answers={}, submit=True, by=lead)
    upload(client, entry, round_, name="plan-2.pdf")
    draft_file = SubmissionFile.objects.get(kind=KIND, original_name="plan-2.pdf")

    confirm = client.get(
        reverse("submissions:file_remove", args=[entry.pk, sent_file.pk]),
        {"next": page(entry, round_)},
    )
    assert f'value="{page(entry, round_)}"' in confirm.content.decode()
    for target in (sent_file, draft_file):
        response = client.post(
            reverse("submissions:file_remove", args=[entry.pk, target.pk]),
            {"next": page(entry, round_)},
        )
        assert response.status_code == 302
        assert response["Location"] == page(entry, round_)

    sent_file.refresh_from_db()
    assert sent_file.removed_at is not None  # the jury's link still works
    assert not SubmissionFile.objects.filter(pk=draft_file.pk).exists()


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_round_export_has_the_followup_answers(client, s3_bucket):
    round_, (entry, other) = asked_round()
    lead = entry.team.lead
    client.force_login(lead)
    upload(client, entry, round_)
    save_followup(
        round_=round_,
        submission=entry,
        answers={"budget_note": "=2+3 mln"},
        submit=True,
        by=lead,
    )
    save_followup(round_=round_, submission=other, answers={"budget_note": "x"}, by=other.team.lead)
    client.force_login(SuperuserFactory())

    rows = _csv(client.get(reverse("judging_admin:export", args=[round_.pk, "followup"])))

    assert rows[0] == [
        "round",
        "entry_id",
        "entry_title",
        "track",
        "followup",
        "sent_at",
        "files",
        "budget_note",
        "budget_plan",
    ]
    by_entry = {int(row[1]): row for row in rows[1:]}
    assert by_entry[entry.pk][4:5] == ["sent"]
    assert by_entry[entry.pk][5]
    assert by_entry[entry.pk][6] == "plan.pdf"
    assert by_entry[entry.pk][7] == "'=2+3 mln"  # staff-only answer, formula-guarded
    assert by_entry[other.pk][4:8] == ["draft", "", "", ""]  # drafts are not the jury's
    dashboard = client.get(reverse("judging_admin:round", args=[round_.pk])).content.decode()
    assert reverse("judging_admin:export_xlsx", args=[round_.pk, "followup"]) in dashboard


def test_a_round_without_a_followup_has_no_followup_export(client):
    round_ = make_round()
    client.force_login(SuperuserFactory())

    response = client.get(reverse("judging_admin:export", args=[round_.pk, "followup"]))

    assert response.status_code == 404


def test_the_screening_page_shows_the_followup_answers(client):
    round_, (entry, _other) = asked_round(
        required=False, mode=RoundMode.SCREENING, k=1, criteria=[]
    )
    question = EntryFieldFactory(
        challenge=round_.challenge,
        stage="followup",
        clean_name="partner",
        label="Hamkor",
        label_en="Partner organisation",
    )
    round_.followup_questions.add(question)
    save_followup(
        round_=round_,
        submission=entry,
        answers={"partner": "Yoshlar ittifoqi"},
        submit=True,
        by=entry.team.lead,
    )
    screener = make_juror(round_.challenge)
    (review,) = assign(round_, screener, [entry])
    client.force_login(screener.user)

    html = client.get(reverse("judging:screen", args=[round_.pk, review.pk])).content.decode()

    assert "Follow-up answers" in html
    assert "Yoshlar ittifoqi" in html


def test_a_followup_question_with_draft_answers_is_archived_not_deleted():
    round_, (entry, _other) = asked_round(required=False)
    note = round_.followup_questions.get(clean_name="budget_note")
    unanswered = EntryFieldFactory(challenge=round_.challenge, stage="followup")
    save_followup(
        round_=round_, submission=entry, answers={"budget_note": "Kam"}, by=entry.team.lead
    )

    with pytest.raises(Conflict):
        note.delete()
    unanswered.delete()

    assert note.has_answers()
    assert type(note).objects.filter(pk=note.pk).exists()
