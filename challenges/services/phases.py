"""Which phase a challenge is in, derived from its phases and the clock — never a flag.

A phase is current from ``starts_at`` (inclusive) to ``ends_at`` (exclusive). Times are
aware datetimes; the challenge's time zone matters only for display and for deadlines
typed in by staff (the admin form interprets them in that zone).
"""

from datetime import timedelta

from ..enums import ChallengeStatus, PhaseKind

ORDER = list(PhaseKind.values)


def current_phase(phases, when):
    """The phase whose window contains ``when``, or ``None`` between/outside phases."""
    for phase in sorted(phases, key=lambda p: (p.starts_at, ORDER.index(p.kind))):
        if phase.starts_at <= when < phase.ends_at:
            return phase
    return None


def phase_of_kind(phases, kind):
    return next((p for p in phases if p.kind == kind), None)


def submission_deadline(phases):
    """The end of the submission phase (without grace), or ``None``."""
    phase = phase_of_kind(phases, PhaseKind.SUBMISSION)
    return phase.ends_at if phase else None


def submissions_open(phases, when, *, grace_minutes=0):
    """Whether an entry may be created, changed or submitted at ``when``.

    Open from the start of registration (or of submission when there is no registration
    phase) until the submission deadline plus the grace minutes.
    """
    submission = phase_of_kind(phases, PhaseKind.SUBMISSION)
    if submission is None:
        return False
    registration = phase_of_kind(phases, PhaseKind.REGISTRATION)
    opens = min(
        submission.starts_at, registration.starts_at if registration else submission.starts_at
    )
    return opens <= when < submission.ends_at + timedelta(minutes=grace_minutes)


def status_for(phases, when):
    """Public status: upcoming → open → judging → closed."""
    if not phases:
        return ChallengeStatus.UPCOMING
    first_start = min(p.starts_at for p in phases)
    if when < first_start:
        return ChallengeStatus.UPCOMING
    results = phase_of_kind(phases, PhaseKind.RESULTS)
    if results is not None and when >= results.starts_at:
        return ChallengeStatus.CLOSED
    submission = phase_of_kind(phases, PhaseKind.SUBMISSION)
    registration = phase_of_kind(phases, PhaseKind.REGISTRATION)
    intake = submission or registration
    if intake is not None and when < intake.ends_at:
        return ChallengeStatus.OPEN
    judging = phase_of_kind(phases, PhaseKind.JUDGING)
    if results is None and judging is not None and when >= judging.ends_at:
        return ChallengeStatus.CLOSED
    if results is None and judging is None:
        return ChallengeStatus.CLOSED
    return ChallengeStatus.JUDGING
