# ruff: noqa: RUF001, RUF002, RUF003 -- maths notation (×) in output and docstrings
"""Ten times the size: the staff and juror pages of a programme of 6,000 entries against
the same pages of one of 600, in the same run.

Builds two programmes with bench/programme.py in a database of its own (PostgreSQL
``test_tanlov_bench_scale``, or SQLite in memory with ``--sqlite``): 6,000 entries × 100
jurors × 3 reviews, and 600 entries × 10 jurors × 3 reviews — the same 180 reviews per
juror, so a juror's queue is a page of the same size in both. Then, through the Django
test client, signed in (a superuser for the staff pages, a juror for theirs), it times each
page (median of ``--repeat`` after a warm-up) and counts its queries:

- the staff ranking of the scored round (every review ranked, a page of 100 rows shown;
  kept in the cache under fingerprints of the round's reviews and entries, so it is also
  measured "cold", each view after a review changed, printed but not in the ratio),
- the staff entries list (``/admin/entries/?challenge=…``, a page of 100),
- the screening round's list (a page of 100),
- a juror's queue (180 reviews),
- the review form,
- the programme dashboard (reporting, the challenge's own).

    .venv/bin/python bench/scale.py [--entries 6000] [--sqlite] [--small] [--keepdb]

``--small`` (``make bench``): 1,800 against 180 entries (30 and 3 jurors), on SQLite.

Last line: ``ratio: X (worst page at 6,000 / same page at 600), queries equal: yes/no``.
Goal: ≤ 2, and the query counts equal.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: One juror per 60 entries: with 3 reviews per entry, 180 reviews in each queue.
ENTRIES_PER_JUROR = 60


def setup_django(args):
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_scale.sqlite3'}"
    else:
        os.environ.setdefault(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tanlov_bench_scale"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    # A database of its own (the test database of the name above), dropped afterwards
    # unless --keepdb.
    from schema import without_migrations

    without_migrations()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    from challenges.services.regions import ensure_regions

    ensure_regions()  # the profiles' regions (a data migration makes them)
    return connection


def pages_of(programme, staff):
    """``[(name, client, url)]``: the pages measured, for one programme."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    staff_client = Client()
    staff_client.force_login(staff)
    juror = programme.jurors[0]
    juror_client = Client()
    juror_client.force_login(juror.user)
    round_ = programme.round
    review = juror.reviews.filter(round=round_).order_by("queue_key").first()
    with translation.override("en"):
        return [
            ("staff ranking", staff_client, reverse("judging_admin:round", args=[round_.id])),
            (
                "staff entries list",
                staff_client,
                f"{reverse('submissions_admin:list')}?challenge={programme.challenge.id}",
            ),
            (
                "screening list",
                staff_client,
                reverse("judging_admin:screening", args=[programme.screening.id]),
            ),
            ("juror queue", juror_client, reverse("judging:queue", args=[round_.id])),
            ("review form", juror_client, reverse("judging:review", args=[round_.id, review.id])),
            (
                "programme dashboard",
                staff_client,
                reverse("reporting_admin:challenge", args=[programme.challenge.id]),
            ),
        ]


def touch_a_review(programme):
    """Move one review's ``updated_at``: the round's fingerprint changes, so the next view
    of the ranking computes it again from every review (what the first view after a
    juror submits costs)."""
    from django.utils import timezone

    from judging.models import Review

    review = Review.objects.filter(round=programme.round).order_by("id").first()
    Review.objects.filter(pk=review.pk).update(updated_at=timezone.now())


def measure(client, url, repeat, before=None):
    from django.db import connection

    response = client.get(url)  # warm-up: templates, per-process caches
    assert response.status_code == 200, (url, response.status_code)
    # Counted by a wrapper, not the debug log: the log is emptied when the connection is
    # opened again (CONN_MAX_AGE = 0), the wrappers stay.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    if before is not None:
        before()
    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--small", action="store_true", help="1,800 against 180, SQLite")
    parser.add_argument("--keepdb", action="store_true")
    args = parser.parse_args()
    if args.small:
        args.entries, args.sqlite, args.repeat = 1800, True, 5
    connection = setup_django(args)
    try:
        import programme
        from django.conf import settings
        from django.contrib.auth import get_user_model

        settings.ALLOWED_HOSTS = ["*"]
        large_n = args.entries
        small_n = large_n // 10
        built = {}
        for n in (small_n, large_n):
            started = time.perf_counter()
            built[n] = programme.build(n, jurors=max(1, n // ENTRIES_PER_JUROR), k=3)
            print(
                f"built {n} entries × {n // ENTRIES_PER_JUROR} jurors × 3 reviews in "
                f"{time.perf_counter() - started:.1f} s ({connection.vendor})",
                flush=True,
            )
        if connection.vendor == "postgresql":
            programme.analyse()
        staff = get_user_model().objects.create(
            username="bench-scale-staff", is_superuser=True, is_staff=True
        )
        results, cold = {}, {}
        for n in (small_n, large_n):
            for name, client, url in pages_of(built[n], staff):
                results[(name, n)] = measure(client, url, args.repeat)
                if name == "staff ranking":
                    cold[n] = measure(
                        client, url, args.repeat, before=lambda p=built[n]: touch_a_review(p)
                    )
        worst, worst_name, equal = 0.0, "", True
        print(f"{'page':<21} {small_n:>7} {large_n:>7}  ratio  queries")
        for name, _client, _url in pages_of(built[small_n], staff):
            (small_t, small_q), (large_t, large_q) = (
                results[(name, small_n)],
                results[(name, large_n)],
            )
            ratio = large_t / small_t
            equal = equal and small_q == large_q
            if ratio > worst:
                worst, worst_name = ratio, name
            print(
                f"{name:<21} {small_t * 1000:5.0f}ms {large_t * 1000:5.0f}ms  {ratio:5.2f}  "
                f"{small_q} / {large_q}{'' if small_q == large_q else '  (differ)'}"
            )
        (small_t, small_q), (large_t, large_q) = cold[small_n], cold[large_n]
        print(
            f"{'(ranking, 1st view after a change: every review read again; not in the ratio)'}"
            f"\n{'staff ranking, cold':<21} {small_t * 1000:5.0f}ms {large_t * 1000:5.0f}ms  "
            f"{large_t / small_t:5.2f}  {small_q} / {large_q}"
        )
        print(
            f"ratio: {worst:.2f} (worst page at {large_n:,} / same page at {small_n:,}: "
            f"{worst_name}), queries equal: {'yes' if equal else 'no'}"
        )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )


if __name__ == "__main__":
    main()
