"""The staff dashboard in the Wagtail admin, exports, permissions and query counts."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.enums import RoundStatus
from judging.models import Review
from tests.factories import ChallengeFactory, SuperuserFactory, UserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


def _manager():
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def _scored(n, *, challenge=None):
    round_ = make_round(challenge, k=2)
    entries = make_entries(round_.challenge, n)
    a, b, c = (make_juror(round_.challenge) for _ in range(3))
    for i, entry in enumerate(entries):
        for juror, bump in ((a, 0), (b, 1)):
            submit_scores(assign(round_, juror, [entry], key_start=i)[0], [1 + (i + bump) % 10, 2])
        if i % 2:
            assign(round_, c, [entry], key_start=i)
    return round_, entries, (a, b, c)


def test_dashboard_shows_progress_chart_ranking_and_flags(client):
    round_, entries, _jurors = _scored(6)
    client.force_login(SuperuserFactory())
    page = client.get(reverse("judging_admin:round", args=[round_.id])).content.decode()
    assert "Reviews done: 12/15" in page
    assert "<svg" in page
    assert "judging-chart" in page
    assert entries[0].title in page
    assert "Krippendorff" in page


def test_dashboard_filters_by_track_but_ranks_over_the_round(client):
    round_, entries, _ = _scored(4)
    other = make_entries(round_.challenge, 1)[0]
    client.force_login(SuperuserFactory())
    page = client.get(
        reverse("judging_admin:round", args=[round_.id]), {"track": other.track_id}
    ).content.decode()
    assert other.title in page
    assert entries[0].title not in page


def test_staff_of_another_challenge_get_404_everywhere(client):
    round_, entries, _ = _scored(2)
    manager = _manager()
    ChallengeFactory().managers.add(manager)
    client.force_login(manager)
    for url in [
        reverse("judging_admin:round", args=[round_.id]),
        reverse("judging_admin:entry", args=[round_.id, entries[0].id]),
        reverse("judging_admin:export", args=[round_.id, "scores"]),
        reverse("judging_admin:jurors", args=[round_.challenge_id]),
    ]:
        # (LocaleMiddleware sends a 404 outside i18n_patterns on to /uz/…, which 404s too)
        assert client.get(url, follow=True).status_code == 404, url
    response = client.post(
        reverse("judging_admin:round_action", args=[round_.id]), {"action": "lock"}, follow=True
    )
    assert response.status_code == 404
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_a_manager_sees_their_own_round(client):
    round_, _entries, _ = _scored(2)
    manager = _manager()
    round_.challenge.managers.add(manager)
    client.force_login(manager)
    assert client.get(reverse("judging_admin:round", args=[round_.id])).status_code == 200


def test_entry_breakdown_shows_scores_per_juror_and_the_audit_trail(client):
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]
    juror = make_juror(round_.challenge)
    review = assign(round_, juror, [entry])[0]
    client.force_login(juror.user)
    impact, feas = round_.criteria.all()
    url = reverse("judging:review", args=[round_.id, review.id])
    client.post(
        url,
        {
            "version": 0,
            f"score_{impact.id}": "4",
            f"score_{feas.id}": "1",
            "overall_comment": "",
            "save": "1",
        },
    )
    client.post(
        url,
        {
            "version": 1,
            f"score_{impact.id}": "9",
            f"score_{feas.id}": "1",
            "overall_comment": "",
            "submit": "1",
        },
    )
    client.force_login(SuperuserFactory())
    page = client.get(reverse("judging_admin:entry", args=[round_.id, entry.id])).content.decode()
    assert "4 → 9" in page
    assert "— → 4" in page


def test_advancing_from_an_unlocked_round_shows_an_error_and_changes_nothing(client):
    round_, entries, _ = _scored(3)
    client.force_login(SuperuserFactory())
    response = client.post(
        reverse("judging_admin:round_action", args=[round_.id]),
        {"action": "advance", "top_n": 1, "status": "finalist", "per_track": "on"},
        follow=True,
    )
    assert "Lock the round before advancing entries from it." in response.content.decode()
    assert {e.status for e in type(entries[0]).objects.all()} == {"eligible"}


def test_scores_and_ranking_csv_match_the_screen_and_the_command(client):
    round_, _entries, _ = _scored(3)
    client.force_login(SuperuserFactory())
    ranking = client.get(reverse("judging_admin:export", args=[round_.id, "ranking"]))
    rows = list(csv.reader(io.StringIO(ranking.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "rank",
        "entry_id",
        "entry_title",
        "track",
        "method",
        "score",
        "reviews_done",
        "reviews_expected",
        "flags",
        "score_low",
        "score_high",
        "p_above_cut",
    ]
    page = client.get(reverse("judging_admin:round", args=[round_.id])).content.decode()
    for row in rows[1:]:
        assert f"<td>{row[5]}</td>" in page
        assert len(row[5].split(".")[1]) == 2
    scores = client.get(reverse("judging_admin:export", args=[round_.id, "scores"]))
    score_rows = list(csv.reader(io.StringIO(scores.content.decode("utf-8-sig"))))
    assert score_rows[0] == [
        "round",
        "entry_id",
        "entry_title",
        "track",
        "juror_id",
        "criterion",
        "weight",
        "scale_min",
        "scale_max",
        "score",
        "review_status",
    ]
    # 3 entries x 2 reviews (+1 unstarted) x 2 criteria
    assert len(score_rows) - 1 == (3 * 2 + 1) * 2
    out = io.StringIO()
    call_command("export_judging", "--round", str(round_.id), "--what", "ranking", stdout=out)
    assert list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff")))) == rows


def _count(client, url):
    client.get(url)  # warm the per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("sizes", [(10, 500)])
def test_staff_ranking_queries_do_not_grow_with_entries(client, sizes):
    counts = []
    client.force_login(SuperuserFactory())
    for n in sizes:
        round_, _, _ = _scored(n, challenge=ChallengeFactory())
        counts.append(_count(client, reverse("judging_admin:round", args=[round_.id])))
    assert counts[0] == counts[1]


def test_juror_queue_queries_do_not_grow_with_entries(client):
    counts = []
    for n in (10, 500):
        round_ = make_round(ChallengeFactory())
        entries = make_entries(round_.challenge, n)
        juror = make_juror(round_.challenge)
        reviews = assign(round_, juror, entries)
        for r in reviews[: n // 2]:
            submit_scores(r, [5, 2])
        client.force_login(juror.user)
        counts.append(_count(client, reverse("judging:queue", args=[round_.id])))
    assert counts[0] == counts[1]


def test_review_form_needs_at_most_15_queries(client):
    round_ = make_round()
    entries = make_entries(round_.challenge, 3)
    juror = make_juror(round_.challenge)
    reviews = assign(round_, juror, entries)
    client.force_login(juror.user)
    url = reverse("judging:review", args=[round_.id, reviews[0].id])
    client.get(url)
    assert _count(client, url) <= 15
    assert Review.objects.filter(opened_at__isnull=False).count() == 1
