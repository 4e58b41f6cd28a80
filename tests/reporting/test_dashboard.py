"""The programme dashboard: every number against a direct query on a world with known
counts, the scope of a staff member, a fixed number of queries, and the downloads."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from challenges.models import Region
from incubation.models import Project
from judging.models import ScreeningOutcome
from reporting import aggregates
from submissions.models import Submission, Team
from tests.factories import (
    ChallengeFactory,
    PhaseFactory,
    ProfileFactory,
    SubmissionFactory,
    TrackFactory,
    UserFactory,
)
from tests.reporting.helpers import known_world, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return known_world()


def board_for(challenge, **narrowing):
    return aggregates.dashboard(aggregates.scope_for([challenge], **narrowing))


def test_headline_numbers_match_direct_queries(world):
    a = world["a"]
    s = board_for(a).summary
    assert s.registrations == 4  # two leads, a member, a solo owner; the mentor is not counted
    assert s.teams == Team.objects.filter(challenge=a).count() == 2
    assert s.entries == Submission.objects.filter(challenge=a).count() == 3
    assert s.drafts == Submission.objects.filter(challenge=a, status="draft").count() == 1
    assert s.submitted == Submission.objects.filter(challenge=a, submitted_at__isnull=False).count()
    assert s.submitted == 2
    assert s.jurors == 2
    assert (s.reviews_done, s.reviews_assigned) == (1, 2)
    assert s.certificates == Certificate.objects.filter(challenge=a, status="issued").count() == 2
    assert s.incubated == Project.objects.filter(challenge=a).count() == 1


def test_breakdowns_match_the_known_counts(world):
    a, t1, t2 = world["a"], world["t1"], world["t2"]
    figures = board_for(a).breakdowns
    assert {b.key: b.count for b in figures["gender"].bars} == {
        "female": 2,
        "male": 1,
        "other": 1,
        "undisclosed": 0,
    }
    assert {b.key: b.count for b in figures["age"].bars} == {
        "under_14": 1,  # born 2015
        "14_17": 1,  # 16 on 1 June 2026
        "18_24": 0,
        "25_30": 1,  # 26
        "over_30": 0,
        "unknown": 1,  # no birth date
    }
    regions = figures["region"]
    assert len([b for b in regions.bars if b.key != "unknown"]) == Region.objects.count() == 14
    qr, tk = region("UZ-QR"), region("UZ-TK")
    assert regions.bars[0].key == str(qr.id)
    assert regions.bars[0].count == 2
    assert regions.count(str(tk.id)) == 1
    assert regions.count("unknown") == 1
    assert figures["track"].count(str(t1.id)) == 2
    assert figures["track"].count(str(t2.id)) == 0
    assert figures["status"].count("draft") == 1
    assert figures["status"].count("eligible") == 1
    assert {b.key: b.count for b in figures["screening"].bars} == {"eligible": 1, "ineligible": 1}
    assert figures["screening"].total == ScreeningOutcome.objects.filter(round__challenge=a).count()
    assert figures["reviews"].count("submitted") == 1
    assert figures["reviews"].count("assigned") == 1
    assert figures["certificates"].count("participation") == 2
    assert figures["incubation"].total == 1
    # Only counts leave the module: every bar is a label and a number.
    for figure in figures.values():
        for bar in figure.bars:
            assert isinstance(bar.count, int)
            assert not hasattr(bar, "user")


def test_the_daily_timeline_runs_to_the_deadline(world):
    timeline = board_for(world["a"]).timeline
    assert timeline.days[0].date == date(2026, 5, 1)
    assert timeline.days[-1].date == date(2026, 5, 10) == timeline.deadline_day
    by_day = {d.date: d for d in timeline.days}
    assert (by_day[date(2026, 5, 1)].started, by_day[date(2026, 5, 1)].submitted) == (1, 0)
    assert (by_day[date(2026, 5, 2)].started, by_day[date(2026, 5, 2)].submitted) == (2, 1)
    assert by_day[date(2026, 5, 3)].submitted == 1
    last = timeline.days[-1]
    assert (last.submitted_total, last.drafts_total) == (2, 1)
    assert sum(d.started for d in timeline.days) == 3


def test_filters_narrow_every_figure(world):
    a, t1 = world["a"], world["t1"]
    by_track = board_for(a, track=t1)
    assert by_track.summary.entries == 2
    assert by_track.summary.registrations == 3  # team 1's lead and member, the solo owner
    by_region = board_for(a, region=region("UZ-QR"))
    assert by_region.summary.registrations == 2
    assert by_region.summary.entries == 2  # the two teams' entries (leads in Karakalpakstan)
    late = board_for(a, since=date(2026, 5, 2))
    assert late.summary.entries == 2
    assert late.timeline.days[0].date == date(2026, 5, 2)


def test_count_people_by_any_profile_field(world):
    scope = aggregates.scope_for([world["a"]])
    assert aggregates.count_people_by(scope, "gender") == {"female": 2, "male": 1, "other": 1}


def _manager(*challenges):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Challenge managers"))
    for challenge in challenges:
        challenge.managers.add(user)
    return user


def test_staff_of_a_cannot_see_b(client, world):
    a, b = world["a"], world["b"]
    client.force_login(_manager(a))
    assert client.get(f"/admin/reporting/challenge/{b.pk}/").status_code == 404
    assert client.get(f"/admin/reporting/?challenge={b.pk}").status_code == 404
    assert client.get(f"/admin/reporting/export/gender.csv?challenge={b.pk}").status_code == 404
    # Across "all my challenges", B's person and entry are not counted.
    page = client.get("/admin/reporting/")
    assert page.status_code == 200
    assert page.context["board"].summary.registrations == 4
    assert page.context["board"].summary.entries == 3
    assert "Dashboard B" not in page.content.decode()


def test_page_shows_accessible_charts_with_tables(client, world):
    a = world["a"]
    client.force_login(_manager(a))
    page = client.get(f"/admin/reporting/challenge/{a.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="img"') == 12  # the daily chart and eleven bar charts
    assert html.count("<title id=") == 12
    assert html.count("<desc id=") == 12
    assert html.count("<details>") == 12
    assert 'class="deadline"' in html
    assert 'data-count="registrations">4<' in html


def test_bad_filter_is_a_clear_error_and_counts_nothing(client, world):
    a = world["a"]
    client.force_login(_manager(a))
    page = client.get("/admin/reporting/?since=2026-05-10&until=2026-05-01")
    assert page.status_code == 400
    assert 'class="error-message" id="id_until-error"' in page.content.decode()
    assert "board" not in page.context


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_download_parses_and_matches_the_page(client, world):
    a = world["a"]
    client.force_login(_manager(a))
    page = client.get(f"/admin/reporting/challenge/{a.pk}/")
    region_figure = page.context["board"].breakdowns["region"]
    rows = _csv(client.get(f"/admin/reporting/export/region.csv?challenge={a.pk}"))
    assert len(rows[0]) == 2
    assert [(r[0], int(r[1])) for r in rows[1:]] == [(b.label, b.count) for b in region_figure.bars]
    daily = _csv(client.get(f"/admin/reporting/export/daily.csv?challenge={a.pk}"))
    assert len(daily) - 1 == len(page.context["board"].timeline.days)
    assert sum(int(r[1]) for r in daily[1:]) == 3
    xlsx = client.get(f"/admin/reporting/export/gender.xlsx?challenge={a.pk}")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def _entries(challenge, n):
    tracks = [TrackFactory(challenge=challenge) for _ in range(2)]
    codes = ["UZ-QR", "UZ-TK", "UZ-SA"]
    for i in range(n):
        owner = ProfileFactory(region=region(codes[i % 3]), gender=["female", "male"][i % 2]).user
        SubmissionFactory(
            challenge=challenge,
            team=None,
            owner=owner,
            track=tracks[i % 2],
            status="submitted" if i % 3 else "draft",
            submitted_at=timezone.now() if i % 3 else None,
        )


def _queries(challenge):
    scope = aggregates.scope_for([challenge])
    with CaptureQueriesContext(connection) as queries:
        aggregates.dashboard(scope)
    return len(queries)


def test_query_count_is_the_same_for_10_and_200_entries():
    small, large = ChallengeFactory(), ChallengeFactory()
    PhaseFactory(challenge=small)
    PhaseFactory(challenge=large)
    _entries(small, 10)
    _entries(large, 200)
    assert _queries(small) == _queries(large)


def test_page_query_count_does_not_grow(client):
    small, large = ChallengeFactory(), ChallengeFactory()
    _entries(small, 10)
    _entries(large, 60)
    client.force_login(_manager(small, large))
    counts = []
    for challenge in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/admin/reporting/challenge/{challenge.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_kind_and_track_filters_on_the_page(client, world):
    a, b = world["a"], world["b"]
    b.kind = "hackathon"
    b.save(update_fields=["kind"])
    client.force_login(_manager(a, b))
    both = client.get("/admin/reporting/")
    assert both.context["board"].summary.entries == 5  # A's 3, B's draft and reviewed entry
    only_a = client.get(f"/admin/reporting/?kind={a.kind}")
    assert only_a.context["board"].summary.entries == 3
    by_track = client.get(f"/admin/reporting/?track={world['t1'].pk}")
    assert by_track.context["board"].summary.entries == 2


def test_a_track_of_another_challenge_is_refused(client, world):
    a = world["a"]
    client.force_login(_manager(a))
    other = TrackFactory(challenge=world["b"])
    page = client.get(f"/admin/reporting/?track={other.pk}")
    assert page.status_code == 400
    assert "board" not in page.context
    assert client.get(f"/admin/reporting/export/track.csv?track={other.pk}").status_code == 404
