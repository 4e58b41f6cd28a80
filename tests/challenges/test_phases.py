"""Phase derivation at the edges, in Asia/Tashkent (UTC+5, no daylight saving)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from challenges.enums import ChallengeStatus, PhaseKind
from challenges.models import Phase
from challenges.services.phases import current_phase, status_for, submissions_open

TASHKENT = ZoneInfo("Asia/Tashkent")
SECOND = timedelta(seconds=1)


def at(*args):
    return datetime(*args, tzinfo=TASHKENT)


def timeline():
    """Registration 1–10 March, submission 10–31 March (deadline 31 March 23:59:59 Tashkent),
    judging in April, results from 1 May, incubation from June."""
    rows = [
        (PhaseKind.REGISTRATION, at(2026, 3, 1, 9), at(2026, 3, 10, 0)),
        (PhaseKind.SUBMISSION, at(2026, 3, 10, 0), at(2026, 3, 31, 23, 59, 59)),
        (PhaseKind.JUDGING, at(2026, 4, 1), at(2026, 4, 30)),
        (PhaseKind.RESULTS, at(2026, 5, 1), at(2026, 5, 31)),
        (PhaseKind.INCUBATION, at(2026, 6, 1), at(2026, 12, 1)),
    ]
    return [Phase(kind=kind, starts_at=start, ends_at=end) for kind, start, end in rows]


DEADLINE = at(2026, 3, 31, 23, 59, 59)


def test_deadline_is_the_same_instant_as_in_utc():
    assert DEADLINE.astimezone(ZoneInfo("UTC")) == datetime(
        2026, 3, 31, 18, 59, 59, tzinfo=ZoneInfo("UTC")
    )


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (DEADLINE - SECOND, True),
        (DEADLINE, False),
        (DEADLINE + SECOND, False),
        (at(2026, 3, 1, 9) - SECOND, False),  # a second before registration opens
        (at(2026, 3, 1, 9), True),
    ],
)
def test_submissions_open_at_the_edges(when, expected):
    assert submissions_open(timeline(), when) is expected


def test_grace_minutes_extend_the_deadline_to_the_second():
    phases = timeline()

    assert submissions_open(phases, DEADLINE + timedelta(minutes=15) - SECOND, grace_minutes=15)
    assert not submissions_open(phases, DEADLINE + timedelta(minutes=15), grace_minutes=15)


@pytest.mark.parametrize(
    ("when", "kind"),
    [
        (at(2026, 3, 1, 9) - SECOND, None),
        (at(2026, 3, 1, 9), PhaseKind.REGISTRATION),
        (at(2026, 3, 10) - SECOND, PhaseKind.REGISTRATION),
        (at(2026, 3, 10), PhaseKind.SUBMISSION),
        (DEADLINE - SECOND, PhaseKind.SUBMISSION),
        (DEADLINE, None),  # the gap between the deadline and judging
        (at(2026, 4, 1), PhaseKind.JUDGING),
        (at(2026, 5, 1) - SECOND, None),
        (at(2026, 5, 1), PhaseKind.RESULTS),
        (at(2026, 6, 1), PhaseKind.INCUBATION),
        (at(2026, 12, 1), None),
    ],
)
def test_current_phase_at_the_edges(when, kind):
    phase = current_phase(timeline(), when)

    assert (phase.kind if phase else None) == kind


@pytest.mark.parametrize(
    ("when", "status"),
    [
        (at(2026, 3, 1, 9) - SECOND, ChallengeStatus.UPCOMING),
        (at(2026, 3, 1, 9), ChallengeStatus.OPEN),
        (DEADLINE - SECOND, ChallengeStatus.OPEN),
        (DEADLINE, ChallengeStatus.JUDGING),
        (at(2026, 5, 1) - SECOND, ChallengeStatus.JUDGING),
        (at(2026, 5, 1), ChallengeStatus.CLOSED),
        (at(2027, 1, 1), ChallengeStatus.CLOSED),
    ],
)
def test_status_at_the_edges(when, status):
    assert status_for(timeline(), when) == status


def test_status_without_phases_is_upcoming():
    assert status_for([], at(2026, 1, 1)) == ChallengeStatus.UPCOMING


def test_status_without_judging_or_results_closes_after_the_intake():
    phases = [Phase(kind=PhaseKind.SUBMISSION, starts_at=at(2026, 3, 1), ends_at=DEADLINE)]

    assert status_for(phases, DEADLINE - SECOND) == ChallengeStatus.OPEN
    assert status_for(phases, DEADLINE) == ChallengeStatus.CLOSED


@pytest.mark.django_db
def test_challenge_status_follows_the_clock_not_a_flag():
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory()
    for phase in timeline():
        phase.challenge = challenge
        phase.save()

    assert challenge.status_at(DEADLINE - SECOND) == ChallengeStatus.OPEN
    assert challenge.status_at(DEADLINE) == ChallengeStatus.JUDGING
    assert challenge.phase_at(at(2026, 5, 1)).kind == PhaseKind.RESULTS
