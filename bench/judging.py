# ruff: noqa: RUF001, RUF002, RUF003 -- maths notation (×, σ, τ) in output and docstrings
"""Ranking speed at scale, against one hand-written SQL aggregate over the same rows.

Builds 10,000 entries × 3 reviews × 5 weighted criteria (150,000 scores) in a throwaway
PostgreSQL database (``tanlov_bench_judging``, or SQLite with ``--sqlite``), then times
``judging.selectors.ranking`` (per-review weighted scores in SQL, aggregation in Python) for
each method, and a single SQL statement that computes the plain-mean ranking over the same
rows. Also times the automatic assignment of 1,000 entries to 40 jurors with k = 3.

    .venv/bin/python bench/judging.py [--entries 10000] [--keepdb]

Last line: ``ratio: X (ranking service, default method / hand-written SQL of the plain
mean)``. The divisor is the plain mean computed in one SQL statement: the default method
(juror-normalised z-scores, then the mean) has no single-statement SQL floor worth the
name, so the line says which floor it is, and the per-method lines above show the service's
own cost of each method.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SQL = """
SELECT r.submission_id, AVG(r.weighted) AS score, COUNT(*) AS done
FROM (
    SELECT rv.id, rv.submission_id,
           SUM(c.weight * (s.value - c.scale_min) / (c.scale_max - c.scale_min))
               / SUM(c.weight) * 100 AS weighted
    FROM judging_score s
    JOIN judging_criterion c ON c.id = s.criterion_id
    JOIN judging_review rv ON rv.id = s.review_id
    WHERE rv.round_id = %s AND rv.state = 'submitted' AND NOT rv.is_calibration
      AND s.value IS NOT NULL
    GROUP BY rv.id, rv.submission_id
) r
GROUP BY r.submission_id
ORDER BY score DESC, r.submission_id
"""


def setup_django(args):
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_judging.sqlite3'}"
    else:
        os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tanlov_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    # A database of its own, named after the bench; kept with --keepdb between runs.
    from schema import without_migrations

    without_migrations()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    return connection


def build(entries, *, jurors=100, k=3):
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from challenges.models import Challenge, Track
    from judging.models import Criterion, Juror, Review, Round, Score
    from submissions.models import Submission, Team

    rng = random.Random(7)  # noqa: S311 -- benchmark data
    now = timezone.now()
    User = get_user_model()
    challenge = Challenge.objects.create(
        title="Bench", slug=f"bench-{time.time_ns()}", kind="innovation"
    )
    tracks = [
        Track.objects.create(challenge=challenge, name=f"T{i}", slug=f"t{i}") for i in range(4)
    ]
    lead = User.objects.create(username=f"lead-{challenge.id}")
    teams = Team.objects.bulk_create(
        [Team(challenge=challenge, name=f"team {i}", lead=lead) for i in range(entries)],
        batch_size=2000,
    )
    subs = Submission.objects.bulk_create(
        [
            Submission(
                challenge=challenge,
                team=t,
                owner=lead,
                title=f"Entry {i}",
                track=tracks[i % 4],
                status="eligible",
                submitted_at=now - timedelta(seconds=i),
            )
            for i, t in enumerate(teams)
        ],
        batch_size=2000,
    )
    round_ = Round.objects.create(
        challenge=challenge,
        name="Bench",
        opens_at=now,
        closes_at=now + timedelta(days=1),
        reviews_per_entry=k,
        status="open",
    )
    criteria = [
        Criterion.objects.create(
            round=round_, name=f"C{i}", weight=w, scale_min=1, scale_max=10, step=1, position=i
        )
        for i, w in enumerate([3, 2, 2, 1, 1])
    ]
    users = User.objects.bulk_create(
        [User(username=f"j{challenge.id}-{i}", email=f"j{i}@bench") for i in range(jurors)]
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
            for u in users
        ]
    )
    # The real assignment graph (random, balanced, connected), as a round would have.
    from judging.services.assignment import EntryNode, JurorNode, plan_assignment

    plan = plan_assignment(
        entries=[EntryNode(i) for i in range(len(subs))],
        jurors=[JurorNode(j) for j in range(jurors)],
        k=k,
        seed=7,
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                round=round_,
                juror=panel[j],
                submission=subs[i],
                state="submitted",
                queue_key=rng.randrange(1 << 30),
            )
            for i, j in plan.add
        ],
        batch_size=5000,
    )
    Score.objects.bulk_create(
        [
            Score(review=r, criterion=c, value=Decimal(rng.randint(1, 10)))
            for r in reviews
            for c in criteria
        ],
        batch_size=10000,
    )
    # A live database has planner statistics (autovacuum's ANALYZE); freshly bulk-loaded
    # tables don't until autovacuum comes round, and both sides would be measured on plans
    # made for empty tables.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round_


def pages():
    """Staff ranking (600 × 3 × 5), a juror's queue (250) and one review form, each as a
    ratio to a trivial request (robots.txt) through the same middleware (DESIGN.md)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from judging.models import Juror, Review

    settings.ALLOWED_HOSTS = ["*"]
    round_ = build(600, jurors=30)
    staff = get_user_model().objects.create(
        username=f"staff-{round_.id}", is_superuser=True, is_staff=True
    )
    client = Client()
    client.force_login(staff)
    trivial = timed(lambda: client.get("/robots.txt"), 20)
    ranking = timed(lambda: client.get(f"/admin/judging/round/{round_.id}/"), 5)
    # A juror with 250 entries in their queue, and one review form.
    juror = Juror.objects.filter(challenge=round_.challenge).first()
    extra = round_.challenge.submissions.exclude(reviews__juror=juror)[
        : 250 - juror.reviews.count()
    ]
    Review.objects.bulk_create(
        [Review(round=round_, juror=juror, submission=s, queue_key=i) for i, s in enumerate(extra)]
    )
    juror_client = Client()
    juror_client.force_login(juror.user)
    with translation.override("en"):
        queue_url = reverse("judging:queue", args=[round_.id])
        review = juror.reviews.first()
        review_url = reverse("judging:review", args=[round_.id, review.id])
    queue = timed(lambda: juror_client.get(queue_url), 5)
    juror_client.get(review_url)
    form = timed(lambda: juror_client.get(review_url), 10)
    with CaptureQueriesContext(connection) as ctx:
        juror_client.get(review_url)
    print(f"trivial request: {trivial * 1000:.1f} ms")
    print(
        f"staff ranking 600 entries: {ranking * 1000:.0f} ms = {ranking / trivial:.0f}× "
        "(target ≤ 700×)"
    )
    print(
        f"juror queue 250 entries: {queue * 1000:.0f} ms = {queue / trivial:.0f}× (target ≤ 340×)"
    )
    print(
        f"review form: {form * 1000:.0f} ms = {form / trivial:.0f}× (target ≤ 35×), "
        f"{len(ctx.captured_queries)} queries (target ≤ 15)"
    )


def timed(fn, repeat=5):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--keepdb", action="store_true")
    args = parser.parse_args()
    connection = setup_django(args)
    try:
        from judging import selectors
        from judging.enums import DEFAULT_METHOD, METHODS_ORDER
        from judging.services.assignment import EntryNode, JurorNode, plan_assignment

        started = time.perf_counter()
        round_ = build(args.entries)
        print(
            f"built {args.entries} entries × 3 reviews × 5 criteria in "
            f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
        )

        def sql():
            with connection.cursor() as cursor:
                cursor.execute(SQL, [round_.id])
                return cursor.fetchall()

        baseline = timed(sql)
        print(f"hand-written SQL (mean ranking): {baseline * 1000:.0f} ms")
        results = {}
        for method in METHODS_ORDER:
            results[method] = timed(lambda m=method: selectors.ranking(round_, method=m), 3)
            print(
                f"ranking service, {method:<10}: {results[method] * 1000:.0f} ms "
                f"({results[method] / baseline:.2f}×)"
            )
        pages()
        entries = [EntryNode(i, track_id=i % 4) for i in range(1000)]
        jurors = [JurorNode(10_000 + j, frozenset({j % 4})) for j in range(40)]
        assign = timed(lambda: plan_assignment(entries=entries, jurors=jurors, k=3, seed=1), 3)
        print(f"auto-assignment 1000 entries × 40 jurors × k=3: {assign * 1000:.0f} ms")
        print(
            f"ratio: {results[DEFAULT_METHOD] / baseline:.2f} "
            f"(ranking service, default method {DEFAULT_METHOD} / hand-written SQL of the "
            "plain mean)"
        )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )


if __name__ == "__main__":
    main()
