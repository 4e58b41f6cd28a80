import threading
from datetime import date, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from challenges.models import Phase
from submissions.enums import FileStatus, SubmissionStatus
from submissions.models import StatusChange, Submission, SubmissionFile, SubmissionVersion
from submissions.services import entries
from submissions.services.errors import ActionRefused
from submissions.services.status import change_status
from tests.factories import UserFactory
from tests.markers import postgres_only
from tests.submissions.builders import open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db


def _verified_pdf(submission, name="deck.pdf"):
    return SubmissionFile.objects.create(
        submission=submission,
        kind="pitch_deck",
        key=f"submissions/x/{name}-{SubmissionFile.objects.count()}",
        original_name=name,
        content_type="application/pdf",
        size=1234,
        sha256="ab" * 32,
        status=FileStatus.VERIFIED,
        uploaded_by=submission.owner,
    )


def _ready(**challenge_fields):
    submission = team_entry(open_challenge(**challenge_fields))
    _verified_pdf(submission)
    return submission


def test_submit_freezes_fields_and_files_as_version_one():
    submission = _ready()

    version = entries.submit_entry(submission=submission, by=submission.owner)

    submission.refresh_from_db()
    assert version.number == 1
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.current_version == version
    assert version.data["title"] == submission.title
    assert [f["name"] for f in version.files] == ["deck.pdf"]
    assert list(
        StatusChange.objects.filter(submission=submission).values_list("from_status", "to_status")
    ) == [("draft", "submitted")]


def test_revising_after_submit_keeps_the_judged_version_until_resubmitted():
    submission = _ready()
    entries.submit_entry(submission=submission, by=submission.owner)

    entries.save_draft(submission=submission, data={"title": "Mehr 2.0"}, by=submission.owner)
    submission.refresh_from_db()
    assert submission.current_version.data["title"] != "Mehr 2.0"

    version = entries.submit_entry(submission=submission, by=submission.owner)
    assert (version.number, version.data["title"]) == (2, "Mehr 2.0")


def test_submitting_an_unchanged_entry_again_creates_no_new_version():
    submission = _ready()
    first = entries.submit_entry(submission=submission, by=submission.owner)

    again = entries.submit_entry(submission=submission, by=submission.owner)

    assert again == first
    assert SubmissionVersion.objects.count() == 1


def test_incomplete_entry_is_refused_with_every_reason():
    challenge = open_challenge(require_repository=True)
    submission = team_entry(challenge, title="", summary="")

    with pytest.raises(ActionRefused) as caught:
        entries.submit_entry(submission=submission, by=submission.owner)

    message = caught.value.message
    assert "The entry needs a title." in message
    assert "Short summary: This answer is needed to submit." in message
    assert "Repository: This answer is needed to submit." in message
    assert "A file is missing: Pitch deck (PDF)." in message
    assert not SubmissionVersion.objects.exists()
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_team_below_minimum_size_cannot_submit():
    submission = _ready(team_min_size=2)

    with pytest.raises(ActionRefused, match="at least 2 are required"):
        entries.submit_entry(submission=submission, by=submission.owner)


def test_minor_without_guardian_consent_cannot_submit():
    submission = _ready()
    profile = submission.owner.profile
    profile.birth_date = date(timezone.localdate().year - 15, 1, 1)
    profile.save()

    with pytest.raises(ActionRefused, match="under 18: a guardian"):
        entries.submit_entry(submission=submission, by=submission.owner)

    profile.guardian_name, profile.guardian_contact = "Gulnora Tursunova", "+998901234567"
    profile.guardian_consent = True
    profile.save()
    assert entries.submit_entry(submission=submission, by=submission.owner).number == 1


def test_submit_after_the_deadline_is_refused_and_changes_nothing():
    submission = _ready()
    Phase.objects.filter(challenge=submission.challenge, kind="submission").update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ActionRefused, match=r"deadline .* has passed"):
        entries.submit_entry(submission=submission, by=submission.owner)
    with pytest.raises(ActionRefused, match=r"deadline .* has passed"):
        entries.save_draft(submission=submission, data={"title": "late"}, by=submission.owner)
    submission.refresh_from_db()
    assert (submission.status, submission.title) == (SubmissionStatus.DRAFT, submission.title)
    assert not SubmissionVersion.objects.exists()


def test_grace_minutes_still_accept_a_late_submit():
    submission = _ready(grace_minutes=15)
    Phase.objects.filter(challenge=submission.challenge, kind="submission").update(
        ends_at=timezone.now() - timedelta(minutes=5)
    )

    assert entries.submit_entry(submission=submission, by=submission.owner).number == 1


def test_deadline_message_shows_the_challenge_time_zone():
    submission = _ready(time_zone="Asia/Tashkent")
    ends = timezone.now() - timedelta(hours=1)
    Phase.objects.filter(challenge=submission.challenge, kind="submission").update(ends_at=ends)

    with pytest.raises(ActionRefused) as caught:
        entries.submit_entry(submission=submission, by=submission.owner)
    local = timezone.localtime(ends, submission.challenge.tz)
    message = caught.value.message
    assert f"{local:%H:%M}" in message or local.strftime("%-I:%M") in message
    assert "(Tashkent time)" in message  # the zone as people say it
    assert "Asia/Tashkent" not in message


def test_outsider_cannot_edit_or_submit():
    submission = _ready()
    stranger = participant()

    with pytest.raises(ActionRefused, match="Only the team's members"):
        entries.submit_entry(submission=submission, by=stranger)
    with pytest.raises(ActionRefused, match="Only the team's members"):
        entries.save_draft(submission=submission, data={"title": "mine"}, by=stranger)


def test_withdraw_then_resubmit_before_the_deadline():
    submission = _ready()
    entries.submit_entry(submission=submission, by=submission.owner)

    entries.withdraw_entry(submission=submission, by=submission.owner)
    assert Submission.objects.get().status == SubmissionStatus.WITHDRAWN

    version = entries.submit_entry(submission=submission, by=submission.owner)
    assert (Submission.objects.get().status, version.number) == (SubmissionStatus.SUBMITTED, 2)


def test_status_changes_are_recorded_with_who_and_reason():
    submission = _ready()
    entries.submit_entry(submission=submission, by=submission.owner)
    staff = UserFactory(is_staff=True)

    change_status(submission=submission, status="ineligible", by=staff, reason="Over 30")

    last = StatusChange.objects.filter(submission=submission).last()
    assert (last.from_status, last.to_status, last.by, last.reason) == (
        "submitted",
        "ineligible",
        staff,
        "Over 30",
    )


def test_individual_entry_when_allowed():
    challenge = open_challenge(individual_entries=True)
    aziz = participant()

    submission = entries.start_entry(challenge=challenge, by=aziz)

    assert (submission.team, submission.owner) == (None, aziz)
    assert entries.start_entry(challenge=challenge, by=aziz) == submission


def test_individual_entry_refused_when_teams_only():
    with pytest.raises(ActionRefused, match="enter as a team"):
        entries.start_entry(challenge=open_challenge(individual_entries=False), by=participant())


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_create_exactly_one_version():
    from challenges.services.regions import ensure_regions

    ensure_regions()
    submission = _ready()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(entries.submit_entry(submission=submission, by=submission.owner).pk)
        except Exception as exc:  # noqa: BLE001 -- collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert SubmissionVersion.objects.filter(submission=submission).count() == 1
    assert len(set(results)) == 1
    assert StatusChange.objects.filter(submission=submission, to_status="submitted").count() == 1
