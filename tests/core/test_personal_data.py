"""A person's data under their control (issue 18.2): the JSON export, erasure at the
person's (or a minor's guardian's, through staff) request, and retention of old drafts."""

import datetime as dt
import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from certificates.enums import CertificateStatus
from challenges.services.eligibility import age_on
from core import personal_data, s3
from core.models import AuditEntry
from judging.models import FeedbackComment, Score
from judging.selectors import ranking
from notifications.models import Notification
from submissions.enums import FileStatus, SubmissionStatus
from submissions.models import Profile, Submission, SubmissionFile, Team, TeamMembership
from submissions.services import retention
from submissions.services.personal_data import stand_in_birth_date
from tests.factories import (
    PASSWORD,
    CertificateFactory,
    ChallengeFactory,
    NotificationFactory,
    PhaseFactory,
    ProfileFactory,
    SubmissionFactory,
    SubmissionVersionFactory,
    SuperuserFactory,
    TeamFactory,
    TeamMembershipFactory,
    participant,
    with_phases,
)
from tests.judging.test_feedback import judged_round, released, share

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored(submission, *, name="deck.pdf", by=None):
    """A verified file of ``submission`` with its object in the (moto) bucket."""
    file = SubmissionFile.objects.create(
        submission=submission,
        kind="pitch_deck",
        key=f"submissions/{submission.challenge_id}/{submission.pk}/{name}",
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        status=FileStatus.VERIFIED,
        verified_at=timezone.now(),
        uploaded_by=by or submission.owner,
    )
    s3.client().put_object(Bucket=s3.bucket_name(), Key=file.key, Body=PDF)
    return file


def in_bucket(key):
    listed = s3.client().list_objects_v2(Bucket=s3.bucket_name(), Prefix=key)
    return any(item["Key"] == key for item in listed.get("Contents", []))


def freeze(submission, files):
    """Submit ``submission``: a version referring to ``files``."""
    version = SubmissionVersionFactory(
        submission=submission,
        number=1,
        files=[{"id": f.pk, "kind": f.kind, "key": f.key, "name": f.original_name} for f in files],
    )
    submission.current_version = version
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save()
    return version


def download(client, user):
    client.force_login(user)
    response = client.get("/en/me/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


# --- export ------------------------------------------------------------------------------
def test_export_holds_every_section_and_nothing_of_other_people(client, s3_bucket):
    round_, entries, reviews = judged_round()
    entry = entries[0]
    lead = entry.team.lead
    ProfileFactory(user=lead, phone="+998901112233", telegram="lead_tg")
    mate = participant(phone="+998907654321")
    TeamMembershipFactory(team=entry.team, challenge=entry.challenge, user=mate)
    r1, r2 = reviews[entry.pk]
    share(r1, 0, "Released remark.")
    released(round_)
    # Written later and not approved: never released to the team.
    FeedbackComment.objects.create(
        round=round_,
        submission=entry,
        review=r2,
        criterion=round_.criteria.first(),
        text="Unreleased remark.",
        original="Unreleased remark.",
    )
    Score.objects.filter(review=r2).update(comment="Private juror note.")
    stored(entry)
    CertificateFactory(recipient=lead, challenge=entry.challenge, status=CertificateStatus.ISSUED)
    NotificationFactory(recipient=lead, event="submission.submitted")
    NotificationFactory(recipient=mate, event="team.joined", context={"secret": "mate's"})

    data = download(client, lead)
    text = json.dumps(data, ensure_ascii=False)

    for section in (
        "account",
        "profile",
        "teams",
        "entries",
        "reviews",
        "certificates",
        "notifications",
        "votes",
    ):
        assert section in data, section
    assert data["account"]["email"] == lead.email
    assert data["profile"]["phone"] == "+998901112233"
    assert data["teams"][0]["team"] == entry.team.name
    (mine,) = data["entries"]
    assert mine["title"] == entry.title
    assert "X-Amz-Signature=" in mine["files"][0]["download_url"]
    assert "Released remark." in data["reviews"][0]["comments"]
    assert data["certificates"][0]["code"]
    assert "submission.submitted" in [n["event"] for n in data["notifications"]]
    assert "team.joined" not in [n["event"] for n in data["notifications"]]
    # Nothing of anyone else.
    assert mate.email not in text
    assert "+998907654321" not in text
    assert "mate's" not in text
    assert "Unreleased remark." not in text
    assert "Private juror note." not in text
    assert r1.juror.user.email not in text
    assert AuditEntry.objects.filter(
        action="core.personal_data.exported", object_id=str(lead.pk)
    ).exists()


def test_export_needs_a_login_and_takes_no_id(client):
    response = client.get("/en/me/data/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    someone = participant()
    other = participant()
    data = download(client, someone)
    assert data["account"]["email"] == someone.email
    assert other.email not in json.dumps(data)


def test_a_participant_cannot_reach_staff_export_of_another(client):
    someone, other = participant(), participant()
    client.force_login(someone)
    response = client.post(reverse("privacy_admin:export", args=[other.pk]), {"reason": "curious"})
    assert response.status_code in (302, 403)
    assert b"{" not in response.content[:1]
    assert not AuditEntry.objects.filter(action="core.personal_data.exported").exists()


# --- erasure -----------------------------------------------------------------------------
def _erase_through_the_page(client, user):
    client.force_login(user)
    page = client.get("/en/me/delete/")
    assert page.status_code == 200
    return client.post("/en/me/delete/", {"secret": PASSWORD, "confirm": "on"})


def test_get_and_a_wrong_password_erase_nothing(client):
    user = participant()
    client.force_login(user)
    assert client.get("/en/me/delete/").status_code == 200
    assert client.post("/en/me/delete/", {"secret": "nope", "confirm": "on"}).status_code == 400
    assert client.post("/en/me/delete/", {"secret": PASSWORD}).status_code == 400
    user.refresh_from_db()
    assert not personal_data.is_anonymised(user)
    assert user.check_password(PASSWORD)


def test_erasure_needs_the_csrf_token():
    user = participant()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/en/me/delete/", {"secret": PASSWORD, "confirm": "on"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert not personal_data.is_anonymised(user)


def test_erasure_anonymises_the_person_and_keeps_rankings(
    client, s3_bucket, django_capture_on_commit_callbacks
):
    round_, entries, _reviews = judged_round(3)
    entry = entries[1]
    lead = entry.team.lead
    ProfileFactory(
        user=lead,
        full_name="Dilnoza Karimova",
        phone="+998901112233",
        telegram="dilnoza_k",
        birth_date=dt.date(2008, 9, 20),
        guardian_contact="mother@example.org",
    )
    email = lead.email
    submitted = stored(entry, name="submitted.pdf")
    freeze(entry, [submitted])
    draft = stored(entry, name="draft.pdf")  # uploaded after the submit: a draft file
    certificate = CertificateFactory(
        recipient=lead,
        challenge=entry.challenge,
        status=CertificateStatus.ISSUED,
        issued_at=timezone.now(),
        recipient_name="Dilnoza Karimova",
    )
    before = [(r.entry.id, r.ranked.rank, r.ranked.score) for r in ranking(round_)]
    history = AuditEntry.objects.count()
    client.force_login(lead)
    client.get("/en/me/")  # a session in the database

    with django_capture_on_commit_callbacks(execute=True):
        response = _erase_through_the_page(client, lead)

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    lead.refresh_from_db()
    profile = Profile.objects.get(user=lead)
    # Name, e-mail, phone, Telegram, guardian: gone from the database.
    user_model = get_user_model()
    assert not user_model.objects.filter(email=email).exists()
    assert lead.email.endswith("@anonymised.invalid")
    assert not Profile.objects.filter(full_name="Dilnoza Karimova").exists()
    assert (profile.phone, profile.telegram, profile.guardian_contact) == ("", "", "")
    assert profile.birth_date != dt.date(2008, 9, 20)
    assert profile.birth_date.year == 2008
    assert not EmailAddress.objects.filter(user=lead).exists()
    # The person cannot sign in any more, and their session is over.
    assert not Client().login(username=email, password=PASSWORD)
    assert not Client().login(username=lead.username, password=PASSWORD)
    assert client.get("/en/me/").status_code == 302
    # The round's ranking and scores are as they were.
    assert [(r.entry.id, r.ranked.rank, r.ranked.score) for r in ranking(round_)] == before
    # The submitted version's file stays; the draft's goes from the bucket.
    assert in_bucket(submitted.key)
    assert SubmissionFile.objects.filter(pk=submitted.pk).exists()
    assert not in_bucket(draft.key)
    assert not SubmissionFile.objects.filter(pk=draft.pk).exists()
    # Verification still answers, without the name.
    page = client.get(f"/en/verify/{certificate.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Recipient anonymised at their request" in html
    assert "Dilnoza" not in html
    # The audit trail keeps its rows (and grows by the erasure).
    assert AuditEntry.objects.count() > history
    erased = AuditEntry.objects.get(action="core.personal_data.erased")
    assert erased.object_id == str(lead.pk)
    assert erased.data["by_self"] is True


def test_the_age_group_survives_the_stand_in_birth_date():
    counted_on = [dt.date(2026, 9, 1), dt.date(2026, 12, 7), dt.date(2025, 9, 15)]
    born = dt.date(2008, 9, 10)  # turns 18 between the first two dates
    stand_in = stand_in_birth_date(born, counted_on)
    assert stand_in.year == 2008
    assert stand_in != born
    for day in counted_on:
        assert age_on(stand_in, day) == age_on(born, day)


def test_teams_they_led_pass_on_or_close(s3_bucket, django_capture_on_commit_callbacks):
    challenge = with_phases(ChallengeFactory(), status="open")
    lead = participant()
    shared = TeamFactory(challenge=challenge, lead=lead)
    first, second = participant(), participant()
    TeamMembershipFactory(team=shared, challenge=challenge, user=first)
    TeamMembershipFactory(team=shared, challenge=challenge, user=second)
    shared_entry = SubmissionFactory(challenge=challenge, team=shared, owner=lead)
    other_challenge = with_phases(ChallengeFactory(), status="open")
    alone = TeamFactory(challenge=other_challenge, lead=lead)
    alone_entry = SubmissionFactory(challenge=other_challenge, team=alone, owner=lead)
    alone_file = stored(alone_entry)

    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(lead, by=lead)

    shared.refresh_from_db()
    assert shared.lead == first
    shared_entry.refresh_from_db()
    assert shared_entry.owner == first
    assert not Team.objects.filter(pk=alone.pk).exists()
    assert not Submission.objects.filter(pk=alone_entry.pk).exists()
    assert not in_bucket(alone_file.key)
    assert AuditEntry.objects.filter(
        action="submissions.team.lead_changed", object_id=str(shared.pk)
    ).exists()


def test_notifications_to_them_are_gone(s3_bucket):
    user = participant()
    NotificationFactory(recipient=user)
    personal_data.erase(user, by=user)
    assert not Notification.objects.filter(recipient=user).exists()


# --- staff-mediated (a minor's guardian) -------------------------------------------------
def _staff_client(user):
    UserProfile.get_for_user(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def test_staff_erase_a_minor_at_the_guardians_request_audited(s3_bucket):
    minor = participant(
        birth_date=timezone.localdate() - timedelta(days=15 * 365),
        guardian_contact="+998901234567",
    )
    staff = SuperuserFactory()
    client = _staff_client(staff)
    page = client.get(f"/admin/personal-data/?email={minor.email}")
    assert page.status_code == 200
    assert "+998901234567" in page.content.decode()

    refused = client.post(reverse("privacy_admin:erase", args=[minor.pk]), {"confirm": "on"})
    assert refused.status_code == 302
    assert not personal_data.is_anonymised(get_user_model().objects.get(pk=minor.pk))

    done = client.post(
        reverse("privacy_admin:erase", args=[minor.pk]),
        {"reason": "Guardian's letter 2026-12-01", "guardian": "on", "confirm": "on"},
    )

    assert done.status_code == 302
    minor.refresh_from_db()
    assert personal_data.is_anonymised(minor)
    entry = AuditEntry.objects.get(action="core.personal_data.erased")
    assert entry.actor == staff
    assert entry.data["guardian"] is True
    assert entry.data["reason"] == "Guardian's letter 2026-12-01"


def test_staff_export_is_audited_with_its_reason(s3_bucket):
    person = participant()
    staff = SuperuserFactory()
    client = _staff_client(staff)
    response = client.post(
        reverse("privacy_admin:export", args=[person.pk]), {"reason": "Subject access 7"}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["account"]["email"] == person.email
    entry = AuditEntry.objects.get(action="core.personal_data.exported")
    assert entry.actor == staff
    assert entry.data == {"reason": "Subject access 7", "staff": True}


def test_challenge_staff_who_are_not_superusers_cannot_erase(s3_bucket):
    person = participant()
    staff = SuperuserFactory(is_superuser=False)
    client = _staff_client(staff)
    response = client.post(
        reverse("privacy_admin:erase", args=[person.pk]),
        {"reason": "x", "confirm": "on"},
    )
    assert response.status_code in (302, 403)
    person.refresh_from_db()
    assert not personal_data.is_anonymised(person)


# --- retention ---------------------------------------------------------------------------
def _closed_at(when):
    challenge = ChallengeFactory()
    PhaseFactory(
        challenge=challenge, kind="submission", starts_at=when - timedelta(days=30), ends_at=when
    )
    return challenge


def test_retention_dry_run_changes_nothing_and_the_run_deletes_only_the_right_entries(
    s3_bucket, django_capture_on_commit_callbacks
):
    now = timezone.now().replace(microsecond=0)
    exactly = retention.months_before(now, 12)
    old = _closed_at(exactly)  # exactly 12 months ago: due
    recent = _closed_at(exactly + timedelta(days=1))  # not yet
    draft_old = SubmissionFactory(challenge=old)
    draft_old_file = stored(draft_old)
    withdrawn_old = SubmissionFactory(challenge=old)
    withdrawn_file = stored(withdrawn_old)
    freeze(withdrawn_old, [withdrawn_file])
    withdrawn_old.status = SubmissionStatus.WITHDRAWN
    withdrawn_old.save()
    submitted_old = SubmissionFactory(challenge=old)
    submitted_file = stored(submitted_old)
    freeze(submitted_old, [submitted_file])
    draft_recent = SubmissionFactory(challenge=recent)
    draft_recent_file = stored(draft_recent)

    out = []
    call_command("apply_retention", "--dry-run", stdout=_Writer(out))
    printed = "".join(out)
    assert f"entry {draft_old.pk} " in printed
    assert f"entry {withdrawn_old.pk} " in printed
    assert f"entry {submitted_old.pk} " not in printed
    assert f"entry {draft_recent.pk} " not in printed
    assert Submission.objects.count() == 4
    assert SubmissionFile.objects.count() == 4
    every = (draft_old_file, withdrawn_file, submitted_file, draft_recent_file)
    assert all(in_bucket(f.key) for f in every)

    with django_capture_on_commit_callbacks(execute=True):
        done = retention.apply(now=now)

    assert {d.submission.pk for d in done} == {draft_old.pk, withdrawn_old.pk}
    assert not Submission.objects.filter(pk=draft_old.pk).exists()
    assert not in_bucket(draft_old_file.key)
    withdrawn_old.refresh_from_db()
    assert withdrawn_old.answers == {}
    assert not withdrawn_old.files.exists()
    assert withdrawn_old.versions.count() == 1
    assert not in_bucket(withdrawn_file.key)
    assert in_bucket(submitted_file.key)
    assert in_bucket(draft_recent_file.key)
    assert Submission.objects.filter(pk__in=[submitted_old.pk, draft_recent.pk]).count() == 2
    # Once done, nothing more to do.
    assert retention.plan(now=now) == []


def test_retention_boundary_is_exactly_n_months(s3_bucket, settings):
    settings.TANLOV_RETENTION_DRAFT_MONTHS = 6
    now = timezone.now().replace(microsecond=0)
    exactly = retention.months_before(now, 6)
    due = SubmissionFactory(challenge=_closed_at(exactly))
    SubmissionFactory(challenge=_closed_at(exactly + timedelta(seconds=1)))
    assert [d.submission.pk for d in retention.plan(now=now)] == [due.pk]


def test_months_before_keeps_the_calendar():
    at = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert retention.months_before(at, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert retention.months_before(at, 12) == dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)
    assert retention.months_before(at, 15) == dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC)


def test_retention_runs_daily_from_beat():
    from config.beat import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["submissions.apply_retention"]["task"] == "submissions.apply_retention"


class _Writer:
    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.append(text)

    def flush(self):
        pass


def test_a_team_members_membership_survives_for_counts(s3_bucket):
    challenge = with_phases(ChallengeFactory(), status="open")
    lead = participant()
    team = TeamFactory(challenge=challenge, lead=lead)
    member = participant()
    TeamMembershipFactory(team=team, challenge=challenge, user=member)
    personal_data.erase(member, by=member)
    assert TeamMembership.objects.filter(team=team, user=member).exists()
    assert Profile.objects.get(user=member).full_name == "anonymised"


def test_a_jurors_reviews_stay_without_their_address(s3_bucket):
    round_, entries, reviews = judged_round(2)
    r1, _r2 = reviews[entries[0].pk]
    juror_user = r1.juror.user
    email = juror_user.email
    before = [(r.entry.id, r.ranked.rank, r.ranked.score) for r in ranking(round_)]
    personal_data.erase(juror_user, by=juror_user)
    r1.juror.refresh_from_db()
    assert r1.juror.email != email
    assert r1.juror.email.endswith("@anonymised.invalid")
    assert [(r.entry.id, r.ranked.rank, r.ranked.score) for r in ranking(round_)] == before


def test_an_incubated_project_is_in_the_export(client):
    from tests.factories import CohortFactory
    from tests.incubation.conftest import make_project

    challenge = ChallengeFactory()
    cohort = CohortFactory(challenges=[challenge])
    project = make_project(cohort, by=SuperuserFactory(), title="Suv tejash")
    data = download(client, project.submission.team.lead)
    assert [p["title"] for p in data["incubation"]] == ["Suv tejash"]
    assert download(client, participant())["incubation"] == []
