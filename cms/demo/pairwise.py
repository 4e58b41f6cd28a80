"""Demo pairwise expo judging on the demo hackathon: a round "Expo" half done.

The hackathon challenge is found by its kind (the hackathon demo creates it); when the
demo has none, a minimal one is made here. When the hackathon has fewer than six
projects ready for judging, ten demo projects (with their teams) are added. Three demo
jurors (``juror``, ``juror.expert``, ``juror.mentor``) walk the tables through the
pairwise services, each about halfway through the room, answering by a hidden quality
with some noise — so staff see a live ranking with wide intervals, the counts per
project and per judge, and the demo user ``juror`` has a table to walk to.

Idempotent: the round is found by challenge and name.
"""

import random
from datetime import timedelta

from django.utils import timezone

from cms.demo.judging import JURORS, _user

ROUND_NAME = "Ekspo"
HACKATHON_SLUG = "toshkent-hackathon-2026"
JUDGES = ("juror", "juror.expert", "juror.mentor")
#: Comparisons each judge has made: the round is about half done.
STEPS = (5, 4, 3)
PROJECTS = [
    ("Mahalla navbati", "Mahalla queue"),
    ("Suv hisobchi", "Water meter bot"),
    ("Ustoz topar", "Mentor finder"),
    ("Avtobus qayerda", "Where is the bus"),
    ("Dori eslatma", "Pill reminder"),
    ("Paxta drone", "Cotton drone"),
    ("Kitob almashuv", "Book swap"),
    ("Quyosh xaritasi", "Solar map"),
    ("Bozor narxi", "Bazaar prices"),
    ("Tilmoch", "Sign interpreter"),
]


def _hackathon():
    from challenges.enums import ChallengeKind
    from challenges.models import Challenge

    challenge = Challenge.objects.filter(kind=ChallengeKind.HACKATHON).order_by("id").first()
    if challenge is not None:
        return challenge, False
    challenge, _created = Challenge.objects.get_or_create(
        slug=HACKATHON_SLUG,
        defaults={
            "title": "Toshkent Hackathon 2026",
            "kind": ChallengeKind.HACKATHON,
            "organiser": "UNDP Uzbekistan",
        },
    )
    return challenge, True


def _projects(challenge):
    """The hackathon's projects ready for judging; demo ones added when there are few."""
    from judging.models import Round
    from judging.selectors import entries_in_scope
    from submissions.models import Submission, Team, TeamMembership

    ready = list(entries_in_scope(Round(challenge=challenge)).order_by("submitted_at", "id"))
    if len(ready) >= 6:
        return ready
    now = timezone.now()
    for i, (uz, en) in enumerate(PROJECTS, start=1):
        lead = _user(f"hack.team{i}", f"hack.team{i}@tanlov.local", "Jamoa", f"{i}-sardori")
        team, _created = Team.objects.get_or_create(
            challenge=challenge, name=f"{uz} jamoasi", defaults={"lead": lead}
        )
        TeamMembership.objects.get_or_create(
            team=team, challenge=challenge, user=lead, defaults={"role": "member"}
        )
        Submission.objects.get_or_create(
            challenge=challenge,
            team=team,
            defaults={
                "owner": lead,
                "title": uz,
                "status": "eligible",
                "submitted_at": now - timedelta(hours=30, minutes=len(PROJECTS) - i),
                "answers": {"summary": f"{uz} ({en})"},
            },
        )
    return list(entries_in_scope(Round(challenge=challenge)).order_by("submitted_at", "id"))


def load(stdout):
    from judging.enums import JurorStatus, RoundMode, RoundStatus
    from judging.models import Juror, Round
    from judging.services import pairwise

    challenge, created = _hackathon()
    existing = Round.objects.filter(challenge=challenge, name=ROUND_NAME).first()
    if existing is not None:
        stdout.write(
            f"pairwise: round “{existing.name_en}” already there "
            f"({existing.comparisons.count()} comparisons)"
        )
        return
    projects = _projects(challenge)
    now = timezone.now()
    round_ = Round.objects.create(
        challenge=challenge,
        name=ROUND_NAME,
        name_ru="Экспо",
        name_en="Expo",
        position=10,
        mode=RoundMode.PAIRWISE,
        opens_at=now - timedelta(hours=2),
        closes_at=now + timedelta(days=2),
        status=RoundStatus.OPEN,
    )
    pairwise.ensure_tables(round_)
    people = {username: (email, first, last) for username, email, first, last, *_ in JURORS}
    rng = random.Random(20)  # noqa: S311 -- demo answers, not secrets
    quality = {p.id: rng.gauss(0, 1) for p in projects}
    made = 0
    for username, steps in zip(JUDGES, STEPS, strict=True):
        user = _user(username, *people[username])
        juror, _created = Juror.objects.get_or_create(
            challenge=challenge,
            email=user.email,
            defaults={
                "user": user,
                "status": JurorStatus.ACTIVE,
                "accepted_at": now,
                "confidentiality_signed_at": now,
            },
        )
        state = pairwise.start(round_=round_, juror=juror, by=user)
        if state.current is None:
            continue
        state = pairwise.mark_seen(round_=round_, juror=juror, by=user, visit_id=state.current.pk)
        for _step in range(steps):
            if state.current is None:
                break
            a, b = state.previous.submission_id, state.current.submission_id
            a_better = quality[a] + rng.gauss(0, 0.7) > quality[b] + rng.gauss(0, 0.7)
            winner, loser = (a, b) if a_better else (b, a)
            pairwise.compare(round_=round_, juror=juror, by=user, winner_id=winner, loser_id=loser)
            made += 1
            state = pairwise.walk(round_, juror)
    stdout.write(
        f"pairwise: round “Expo” on {challenge.title}"
        f"{' (a minimal hackathon made here)' if created else ''}: "
        f"{len(projects)} tables, {made} comparisons"
    )
