"""Appeals: one per entry within the window, handled by impartial staff, every step audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import Refused
from core.models import AuditEntry
from judging.enums import AppealStatus, ConflictKind
from judging.models import Appeal, Conflict, Publication, Review
from judging.services.appeals import decide_appeal, file_appeal, request_rereview
from judging.services.reviews import Answer, save_review
from judging.services.rounds import publication_rows
from notifications.models import Notification
from submissions.models import StatusChange
from tests.factories import SuperuserFactory, UserFactory
from tests.judging.helpers import make_juror
from tests.judging.test_feedback import judged_round, released

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    round_, entries, reviews = judged_round(3)
    Publication.objects.create(round=round_, rows=publication_rows(round_)[0])
    released(round_)
    return round_, entries, reviews


def appeal_of(world, reason="The jury missed our pilot results."):
    round_, entries, _ = world
    return file_appeal(round_=round_, submission=entries[2], by=entries[2].team.lead, reason=reason)


def test_team_files_an_appeal_and_is_told(world):
    appeal = appeal_of(world)

    assert appeal.status == AppealStatus.FILED
    entry = world[1][2]
    assert AuditEntry.objects.filter(
        action="judging.appeal.filed", object_type="submissions.submission", object_id=str(entry.pk)
    ).exists()
    assert Notification.objects.filter(event="judging.appeal_updated").count() == 1


def test_appeal_after_the_window_is_refused(world, client):
    round_, entries, _ = world
    late = round_.appeal_deadline + timedelta(seconds=1)
    with pytest.raises(Refused, match="closed"):
        file_appeal(
            round_=round_, submission=entries[2], by=entries[2].team.lead, reason="x", when=late
        )
    round_.feedback_released_at = timezone.now() - timedelta(days=8)
    round_.save()
    client.force_login(entries[2].team.lead)
    response = client.post(
        reverse("judging:feedback", args=[entries[2].pk, round_.pk]), {"reason": "Too late"}
    )
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_second_appeal_on_the_same_entry_is_refused(world):
    appeal_of(world)
    with pytest.raises(Refused, match="already"):
        appeal_of(world, reason="Again")
    assert Appeal.objects.count() == 1


def test_appeal_needs_a_reason_and_a_member(world):
    round_, entries, _ = world
    with pytest.raises(Refused):
        file_appeal(round_=round_, submission=entries[2], by=entries[2].team.lead, reason="  ")
    with pytest.raises(PermissionDenied):
        file_appeal(round_=round_, submission=entries[2], by=entries[1].team.lead, reason="x")
    assert not Appeal.objects.exists()


def test_a_juror_of_the_entry_cannot_handle_it(world, client):
    round_, entries, _reviews = world
    appeal = appeal_of(world)
    staff_juror = SuperuserFactory()
    juror = make_juror(round_.challenge, staff_juror)
    Review.objects.create(round=round_, juror=juror, submission=entries[2], queue_key=9)

    with pytest.raises(PermissionDenied):
        decide_appeal(appeal=appeal, by=staff_juror, upheld=False, response="No")
    client.force_login(staff_juror)
    path = reverse("judging_admin:appeal_action", args=[round_.pk, appeal.pk])
    response = client.post(path, {"action": "decide", "decision": "dismissed", "response": "No"})
    assert response.status_code == 403
    page = client.get(reverse("judging_admin:appeal", args=[round_.pk, appeal.pk]))
    assert "another staff member" in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILED


def test_a_conflicted_staff_member_cannot_handle_it(world):
    round_, entries, _ = world
    appeal = appeal_of(world)
    staff = SuperuserFactory()
    juror = make_juror(round_.challenge, staff)
    Conflict.objects.create(juror=juror, kind=ConflictKind.TEAM, team=entries[2].team)
    other = make_juror(round_.challenge)

    with pytest.raises(PermissionDenied):
        request_rereview(appeal=appeal, by=staff, jurors=[other])
    assert not Review.objects.filter(juror=other).exists()


def test_rereview_by_other_jurors_respects_conflicts(world):
    round_, entries, reviews = world
    appeal = appeal_of(world)
    staff = SuperuserFactory()
    fresh = make_juror(round_.challenge)
    conflicted = make_juror(round_.challenge)
    Conflict.objects.create(juror=conflicted, kind=ConflictKind.TEAM, team=entries[2].team)

    with pytest.raises(Refused, match="not reviewed"):
        request_rereview(appeal=appeal, by=staff, jurors=[reviews[entries[2].pk][0].juror])
    with pytest.raises(Refused, match="conflict"):
        request_rereview(appeal=appeal, by=staff, jurors=[conflicted])
    (review,) = request_rereview(appeal=appeal, by=staff, jurors=[fresh])

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REREVIEW
    assert review.appeal_id == appeal.pk
    # The round is published, yet the re-review can be scored while the appeal is open.
    criteria = list(round_.criteria.all())
    save_review(
        review=review,
        by=fresh.user,
        answers={criteria[0].pk: Answer(Decimal(10)), criteria[1].pk: Answer(Decimal(5))},
        overall_comment="",
        version=review.version,
        submit=True,
    )
    review.refresh_from_db()
    assert review.is_submitted


def test_upheld_changes_the_status_and_recomputes_the_ranking(world, client):
    round_, entries, _ = world
    appeal = appeal_of(world)
    staff = SuperuserFactory()
    fresh = make_juror(round_.challenge)
    (review,) = request_rereview(appeal=appeal, by=staff, jurors=[fresh])
    criteria = list(round_.criteria.all())
    save_review(
        review=review,
        by=fresh.user,
        answers={criteria[0].pk: Answer(Decimal(10)), criteria[1].pk: Answer(Decimal(5))},
        overall_comment="",
        version=review.version,
        submit=True,
    )

    decide_appeal(
        appeal=appeal,
        by=staff,
        upheld=True,
        response="The re-review confirms it.",
        status="finalist",
    )

    entry = entries[2]
    entry.refresh_from_db()
    assert entry.status == "finalist"
    assert StatusChange.objects.filter(submission=entry, to_status="finalist").exists()
    rows = Publication.objects.get(round=round_).rows
    assert rows[0]["entry_id"] == entry.pk  # the re-review's 10/10 moves it to the top
    assert AuditEntry.objects.filter(action="judging.round.republished").exists()
    assert AuditEntry.objects.filter(
        action="judging.appeal.upheld", object_id=str(entry.pk)
    ).exists()
    with pytest.raises(Refused, match="decided"):
        decide_appeal(appeal=appeal, by=staff, upheld=False, response="No")
    client.force_login(entry.team.lead)
    html = client.get(reverse("judging:feedback", args=[entry.pk, round_.pk])).content.decode()
    assert "The re-review confirms it." in html
    assert fresh.user.email not in html
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(reverse("judging_admin:appeals", args=[round_.pk]))
    assert page.status_code == 200
    assert "round-history" in page.content.decode()


def test_dismissed_needs_a_written_response(world, client):
    round_, _entries, _ = world
    appeal = appeal_of(world)
    staff = SuperuserFactory()
    client.force_login(staff)
    path = reverse("judging_admin:appeal_action", args=[round_.pk, appeal.pk])

    response = client.post(path, {"action": "decide", "decision": "dismissed", "response": ""})
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILED

    response = client.post(
        path, {"action": "decide", "decision": "dismissed", "response": "The scores stand."}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.response) == (AppealStatus.DISMISSED, "The scores stand.")


def test_upheld_needs_an_outcome(world):
    appeal = appeal_of(world)
    with pytest.raises(Refused, match="outcome"):
        decide_appeal(appeal=appeal, by=SuperuserFactory(), upheld=True, response="Yes")


def test_managers_of_other_challenges_get_404(world, client):
    round_, _entries, _ = world
    appeal = appeal_of(world)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("judging_admin:appeal", args=[round_.pk, appeal.pk])).status_code in (
        302,
        403,
        404,
    )


def test_appeal_pages_queries_do_not_grow(world, client, django_assert_max_num_queries):
    round_, entries, _ = world
    appeal_of(world)
    client.force_login(SuperuserFactory())
    path = reverse("judging_admin:appeals", args=[round_.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(path).status_code == 200
    for entry in entries[:2]:
        file_appeal(round_=round_, submission=entry, by=entry.team.lead, reason="More")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(path)


def test_appeal_with_a_checked_file_and_a_refused_one(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.submissions.builders import PDF

    round_, entries, _ = world
    entry = entries[2]
    client.force_login(entry.team.lead)
    path = reverse("judging:feedback", args=[entry.pk, round_.pk])
    fake = SimpleUploadedFile("results.pdf", b"<html>not a pdf</html>", "application/pdf")

    response = client.post(path, {"reason": "See the file.", "file": fake})
    assert response.status_code == 400
    assert not Appeal.objects.exists()

    real = SimpleUploadedFile("pilot results.pdf", PDF, "application/pdf")
    assert client.post(path, {"reason": "See the file.", "file": real}).status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.file_name, appeal.file_type, appeal.file_size) == (
        "pilot results.pdf",
        "application/pdf",
        len(PDF),
    )
    client.force_login(SuperuserFactory())
    download = client.get(reverse("judging_admin:appeal_file", args=[round_.pk, appeal.pk]))
    assert download.status_code == 302
    assert appeal.file_key in download["Location"]


def test_upheld_screening_appeal_makes_the_entry_eligible():
    from judging.enums import RoundMode, RoundStatus, Verdict
    from judging.models import ScreeningOutcome
    from judging.services.feedback import release_feedback
    from tests.judging.helpers import make_entries, make_round

    round_ = make_round(mode=RoundMode.SCREENING, status=RoundStatus.LOCKED, k=1)
    (entry,) = make_entries(round_.challenge, 1, status="ineligible")
    ScreeningOutcome.objects.create(
        round=round_, submission=entry, verdict=Verdict.INELIGIBLE, reason="late", source="staff"
    )
    staff = SuperuserFactory()
    release_feedback(round_=round_, by=staff)
    appeal = file_appeal(
        round_=round_, submission=entry, by=entry.team.lead, reason="It arrived on time."
    )

    decide_appeal(
        appeal=appeal, by=staff, upheld=True, response="The log confirms it.", status="eligible"
    )

    entry.refresh_from_db()
    assert entry.status == "eligible"
    outcome = ScreeningOutcome.objects.get(submission=entry)
    assert (outcome.verdict, outcome.reason) == ("eligible", "")
