"""A whole programme built fast for the benches (bulk_create, no signals, no services).

``build(entries, jurors=…, k=…)`` makes one challenge with its submission phase, four
tracks, one participant per entry (a profile across the regions, genders and ages), half
the entries by teams of two, a screening round where two screeners decided every entry,
and a scored round with 4 weighted criteria where ``jurors`` jurors hold ``k`` reviews of
each entry (the real assignment graph: random, balanced, connected), most of them submitted
with their scores. Returns a :class:`Programme` with the objects the pages need.

Used by bench/scale.py; the other benches build narrower worlds of their own.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass
class Programme:
    challenge: object
    screening: object
    round: object
    jurors: list
    entries: int


def build(entries, *, jurors=100, k=3, submitted_share=0.9, seed=7):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from challenges.models import Challenge, Phase, Region, Track
    from judging.models import (
        Criterion,
        Juror,
        Review,
        Round,
        Score,
        ScreeningDecision,
        ScreeningOutcome,
    )
    from judging.services.assignment import EntryNode, JurorNode, plan_assignment
    from submissions.models import Profile, Submission, Team, TeamMembership

    rng = random.Random(seed)  # noqa: S311 -- benchmark data
    now = timezone.now()
    User = get_user_model()
    tag = time.time_ns()
    challenge = Challenge.objects.create(
        title=f"Bench {entries}", slug=f"bench-{entries}-{tag}", kind="innovation"
    )
    Phase.objects.create(
        challenge=challenge, kind="submission", starts_at=now - timedelta(days=40), ends_at=now
    )
    tracks = [
        Track.objects.create(challenge=challenge, name=f"T{i}", slug=f"t{i}") for i in range(4)
    ]
    regions = [*Region.objects.all(), None]
    genders = ["female", "male", "other", "undisclosed", ""]
    people = User.objects.bulk_create(
        [User(username=f"p{tag}-{i}", email=f"p{i}@bench") for i in range(entries + entries // 2)],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                full_name=f"Person {i}",
                gender=rng.choice(genders),
                region=rng.choice(regions),
                birth_date=date(1985 + rng.randrange(25), 1 + rng.randrange(12), 1),
            )
            for i, u in enumerate(people)
        ],
        batch_size=2000,
    )
    team_count = entries // 2
    teams = Team.objects.bulk_create(
        [Team(challenge=challenge, name=f"Team {i}", lead=people[i]) for i in range(team_count)],
        batch_size=2000,
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=t, challenge=challenge, user=t.lead) for t in teams]
        + [
            TeamMembership(team=t, challenge=challenge, user=people[entries + i])
            for i, t in enumerate(teams)
        ],
        batch_size=2000,
    )
    subs = Submission.objects.bulk_create(
        [
            Submission(
                challenge=challenge,
                team=teams[i] if i < team_count else None,
                owner=people[i],
                title=f"Entry {i}",
                track=tracks[i % 4],
                status="eligible",
                submitted_at=now - timedelta(minutes=rng.randrange(40 * 24 * 60)),
            )
            for i in range(entries)
        ],
        batch_size=2000,
    )
    panel_users = User.objects.bulk_create(
        [User(username=f"j{tag}-{i}", email=f"j{tag}-{i}@bench") for i in range(jurors)]
    )
    panel = Juror.objects.bulk_create(
        [
            Juror(
                challenge=challenge,
                email=u.email,
                user=u,
                status="active",
                confidentiality_signed_at=now,
            )
            for u in panel_users
        ]
    )
    screening = Round.objects.create(
        challenge=challenge,
        name="Screening",
        mode="screening",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=5),
        reviews_per_entry=2,
        position=1,
        status="locked",
    )
    ScreeningDecision.objects.bulk_create(
        [
            ScreeningDecision(
                round=screening,
                submission=s,
                screener=panel_users[(i + n) % jurors],
                verdict="eligible",
            )
            for i, s in enumerate(subs)
            for n in range(2)
        ],
        batch_size=5000,
    )
    ScreeningOutcome.objects.bulk_create(
        [
            ScreeningOutcome(round=screening, submission=s, verdict="eligible", source="screeners")
            for s in subs
        ],
        batch_size=5000,
    )
    round_ = Round.objects.create(
        challenge=challenge,
        name="Scoring",
        opens_at=now - timedelta(days=4),
        closes_at=now + timedelta(days=10),
        reviews_per_entry=k,
        position=2,
        status="open",
    )
    criteria = [
        Criterion.objects.create(
            round=round_, name=f"C{i}", weight=w, scale_min=1, scale_max=10, step=1, position=i
        )
        for i, w in enumerate([3, 2, 2, 1])
    ]
    plan = plan_assignment(
        entries=[EntryNode(i) for i in range(entries)],
        jurors=[JurorNode(j) for j in range(jurors)],
        k=k,
        seed=seed,
    )
    reviews = []
    for i, j in plan.add:
        submitted = rng.random() < submitted_share
        opened = now - timedelta(hours=rng.randrange(1, 90))
        finished = opened + timedelta(minutes=rng.randrange(3, 60))
        reviews.append(
            Review(
                round=round_,
                juror=panel[j],
                submission=subs[i],
                state="submitted" if submitted else "assigned",
                queue_key=rng.randrange(1 << 30),
                opened_at=opened if submitted else None,
                submitted_at=finished if submitted else None,
                overall_comment="Clear idea, weak plan." if rng.random() < 0.9 else "",
            )
        )
    reviews = Review.objects.bulk_create(reviews, batch_size=5000)
    Score.objects.bulk_create(
        [
            Score(review=r, criterion=c, value=Decimal(rng.randint(1, 10)))
            for r in reviews
            if r.state == "submitted"
            for c in criteria
        ],
        batch_size=10000,
    )
    return Programme(
        challenge=challenge, screening=screening, round=round_, jurors=panel, entries=entries
    )


def analyse():
    """Planner statistics, as a live database has them (autovacuum's ANALYZE): freshly
    bulk-loaded tables have none and would be measured on plans made for empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
