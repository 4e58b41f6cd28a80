"""Programme dashboard speed at scale, against a trivial admin view in the same run.

Builds one challenge with 2,000 entries (1,000 team entries, 1,000 individual ones; 3,000
people across the 14 regions, genders and ages; tracks, screening outcomes, reviews,
certificates) in a throwaway SQLite database in a temporary directory, then times the
challenge's dashboard (``/admin/reporting/challenge/<id>/``) and the cross-challenge one,
and a trivial Wagtail admin view (the judging index) through the same middleware, signed in
as a superuser.

    .venv/bin/python bench/dashboard.py [--entries 2000]

Last line: ``ratio: X (dashboard / trivial admin view)`` (goal ≤ 10, and under 1 s).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(directory):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench_dashboard.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    print("migrating a fresh database …", flush=True)
    call_command("migrate", verbosity=0)


def build(entries):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from certificates.models import Certificate
    from challenges.models import Challenge, Phase, Region, Track
    from judging.models import Juror, Review, Round, ScreeningOutcome
    from submissions.models import Profile, Submission, Team, TeamMembership

    rng = random.Random(7)  # noqa: S311 -- benchmark data
    now = timezone.now()
    User = get_user_model()
    challenge = Challenge.objects.create(title="Bench", slug="bench", kind="innovation")
    Phase.objects.create(
        challenge=challenge, kind="submission", starts_at=now - timedelta(days=40), ends_at=now
    )
    tracks = [
        Track.objects.create(challenge=challenge, name=f"T{i}", slug=f"t{i}") for i in range(4)
    ]
    regions = list(Region.objects.all())
    genders = ["female", "male", "other", "undisclosed", ""]
    people = entries + entries // 2
    users = User.objects.bulk_create(User(username=f"p{i}") for i in range(people))
    Profile.objects.bulk_create(
        Profile(
            user=u,
            full_name=u.username,
            gender=rng.choice(genders),
            region=rng.choice([*regions, None]),
            birth_date=rng.choice([None, date(1990 + rng.randrange(25), 1 + rng.randrange(12), 1)]),
        )
        for u in users
    )
    team_count = entries // 2
    teams = Team.objects.bulk_create(
        Team(challenge=challenge, name=f"Team {i}", lead=users[i]) for i in range(team_count)
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=t, challenge=challenge, user=t.lead) for t in teams]
        + [
            TeamMembership(team=t, challenge=challenge, user=users[entries + i])
            for i, t in enumerate(teams)
        ]
    )
    subs = []
    for i in range(entries):
        submitted = rng.random() < 0.7
        subs.append(
            Submission(
                challenge=challenge,
                team=teams[i] if i < team_count else None,
                owner=users[i],
                track=rng.choice(tracks),
                title=f"Entry {i}",
                status="submitted" if submitted else "draft",
                submitted_at=now - timedelta(days=rng.randrange(30)) if submitted else None,
            )
        )
    subs = Submission.objects.bulk_create(subs)
    for s in subs:  # started over the 40 days of the phase
        s.created_at = now - timedelta(days=30 + rng.randrange(10))
    Submission.objects.bulk_update(subs, ["created_at"], batch_size=500)
    submitted = [s for s in subs if s.submitted_at]
    screening = Round.objects.create(
        challenge=challenge,
        name="S",
        mode="screening",
        opens_at=now,
        closes_at=now + timedelta(days=7),
        reviews_per_entry=1,
        position=1,
    )
    ScreeningOutcome.objects.bulk_create(
        ScreeningOutcome(round=screening, submission=s, verdict="eligible", source="staff")
        for s in submitted
    )
    scored = Round.objects.create(
        challenge=challenge,
        name="R",
        opens_at=now,
        closes_at=now + timedelta(days=7),
        reviews_per_entry=3,
        position=2,
    )
    jurors = Juror.objects.bulk_create(
        Juror(challenge=challenge, email=f"j{i}@example.org", status="active") for i in range(30)
    )
    Review.objects.bulk_create(
        Review(
            round=scored,
            juror=jurors[(i + k) % 30],
            submission=s,
            state=rng.choice(["assigned", "draft", "submitted"]),
            queue_key=i,
        )
        for i, s in enumerate(submitted)
        for k in range(3)
    )
    Certificate.objects.bulk_create(
        Certificate(
            challenge=challenge,
            kind="participation",
            recipient=s.owner,
            recipient_name="x",
            language="uz",
            status="issued",
            issued_at=now,
        )
        for s in submitted[:500]
    )
    return challenge


def timed(call, repeat):
    call()  # warm-up (templates, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def measure(entries):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    print(f"building {entries} entries …", flush=True)
    challenge = build(entries)
    staff = get_user_model().objects.create(
        username="bench-staff", is_superuser=True, is_staff=True
    )
    client = Client()
    client.force_login(staff)
    page = f"/admin/reporting/challenge/{challenge.id}/"
    from reporting import aggregates

    scope = aggregates.scope_for([challenge])
    with CaptureQueriesContext(connection) as queries:
        board = aggregates.dashboard(scope)
    query_count = len(queries)  # now: a reconnect later empties the log
    print(f"entries counted: {board.summary.entries}, people: {board.summary.registrations}")
    # The trivial view: the judging index (the admin's shell and a short table; the
    # account page, about 3 times slower, would flatter the ratio).
    trivial = timed(lambda: client.get("/admin/judging/"), 10)
    one = timed(lambda: client.get(page), 5)
    across = timed(lambda: client.get("/admin/reporting/"), 5)
    print(f"trivial admin view (judging index): {trivial * 1000:.1f} ms")
    print(f"dashboard of one challenge, {entries} entries: {one * 1000:.1f} ms")
    print(f"dashboard across challenges: {across * 1000:.1f} ms")
    print(f"queries of reporting.aggregates.dashboard: {query_count}")
    print(f"ratio: {one / trivial:.2f} (dashboard / trivial admin view)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tanlov-bench-dashboard-") as directory:
        setup_django(directory)
        measure(args.entries)


if __name__ == "__main__":
    main()
