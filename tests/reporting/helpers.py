"""A world with known counts for the dashboard's tests (and its browser test)."""

from datetime import UTC, date, datetime

from challenges.models import Region
from challenges.services.regions import ensure_regions
from judging.models import Review
from submissions.models import Submission
from tests.factories import (
    CertificateFactory,
    ChallengeFactory,
    PhaseFactory,
    ProjectFactory,
    ReviewFactory,
    ScreeningOutcomeFactory,
    SubmissionFactory,
    TeamFactory,
    TeamMembershipFactory,
    TrackFactory,
    participant,
)
from tests.judging.helpers import make_juror, make_round


def at(day, hour=10):
    return datetime(2026, 5, day, hour, tzinfo=UTC)


def region(code):
    """A region by ISO code (all 14 loaded first: a transactional test starts without)."""
    if not Region.objects.filter(code=code).exists():
        ensure_regions()
    return Region.objects.get(code=code)


def known_world():
    """Challenge A: 4 people, 2 teams, 3 entries (1 draft), known ages, genders, regions;
    challenge B: one person and one entry that A's figures must never show."""
    a = ChallengeFactory(title="Dashboard A", age_reference_date=date(2026, 6, 1))
    PhaseFactory(challenge=a, kind="submission", starts_at=at(1, 0), ends_at=at(10, 7))
    t1, t2 = TrackFactory(challenge=a, name_en="Health"), TrackFactory(challenge=a, name_en="Agri")
    lead1 = participant(gender="female", birth_date=date(2010, 3, 1), region=region("UZ-QR"))
    member = participant(gender="male", birth_date=date(2000, 1, 1), region=region("UZ-TK"))
    mentor = participant(gender="male", birth_date=date(1980, 1, 1), region=region("UZ-TK"))
    lead2 = participant(gender="female", birth_date=date(2015, 1, 1), region=region("UZ-QR"))
    solo = participant(gender="other", birth_date=None, region=None)
    team1 = TeamFactory(challenge=a, lead=lead1)
    TeamMembershipFactory(team=team1, user=member)
    TeamMembershipFactory(team=team1, user=mentor, role="mentor")
    team2 = TeamFactory(challenge=a, lead=lead2)
    s1 = SubmissionFactory(
        challenge=a, team=team1, track=t1, status="submitted", submitted_at=at(3)
    )
    s2 = SubmissionFactory(challenge=a, team=team2, track=t2, status="draft")
    s3 = SubmissionFactory(
        challenge=a, team=None, owner=solo, track=t1, status="eligible", submitted_at=at(2)
    )
    Submission.objects.filter(pk=s1.pk).update(created_at=at(1))
    Submission.objects.filter(pk__in=[s2.pk, s3.pk]).update(created_at=at(2))
    screening = make_round(a, mode="screening", k=1)
    ScreeningOutcomeFactory(round=screening, submission=s3, verdict="eligible")
    ScreeningOutcomeFactory(
        round=screening, submission=s1, verdict="ineligible", reason="incomplete"
    )
    scored = make_round(a)
    juror = make_juror(a)
    Review.objects.create(round=scored, juror=juror, submission=s1, state="submitted", queue_key=1)
    Review.objects.create(round=scored, juror=juror, submission=s3, queue_key=2)
    calibration = make_juror(a)  # calibration reviews are practice: not progress
    Review.objects.create(
        round=scored, juror=calibration, submission=s2, queue_key=3, is_calibration=True
    )
    CertificateFactory(challenge=a, recipient=lead1, status="issued", issued_at=at(20))
    CertificateFactory(challenge=a, recipient=member, status="issued", issued_at=at(20))
    CertificateFactory(challenge=a, recipient=lead2, status="pending")
    ProjectFactory(challenge=a, submission=s3)

    b = ChallengeFactory(title="Dashboard B")
    outsider = participant(gender="female", region=region("UZ-QR"))
    SubmissionFactory(challenge=b, team=TeamFactory(challenge=b, lead=outsider), status="draft")
    ReviewFactory(round__challenge=b)
    return {"a": a, "b": b, "t1": t1, "t2": t2, "s1": s1, "s2": s2, "s3": s3}
