"""How sure a round's ranking is, in the database: the staff page, the export, extra reviews
at the cut and the margins on the published results."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import Refused
from judging import selectors
from judging.enums import ReviewState
from judging.models import Conflict, Review
from judging.services.boundary import add_boundary_reviews, plan_boundary_reviews, set_cut
from judging.services.rounds import lock_round, publish_round
from notifications.models import Notification
from submissions.services.status import change_status
from tests.factories import SuperuserFactory, UserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db

# Five entries, three reviews each by the same three jurors: 1 and 2 far apart at the top,
# 3 and 4 tied at the cut of three, 5 far below.
SCORES = {
    0: [(10, 5), (10, 5), (9, 5)],
    1: [(9, 4), (8, 4), (9, 5)],
    2: [(7, 3), (4, 1), (8, 4)],
    3: [(8, 4), (7, 3), (4, 1)],  # the same scores as 2 by other jurors: a coin toss
    4: [(1, 0), (2, 1), (1, 0)],
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def scored_round(n_extra_jurors=2, extra_entries=0):
    round_ = make_round(k=3)
    entries = make_entries(round_.challenge, 5 + extra_entries)
    jurors = [make_juror(round_.challenge) for _ in range(3)]
    for index, entry in enumerate(entries):
        values = SCORES.get(index, [(5, 2), (6, 3), (5, 3)])
        for juror, value in zip(jurors, values, strict=True):
            submit_scores(assign(round_, juror, [entry], key_start=index * 10)[0], value)
    spare = [make_juror(round_.challenge) for _ in range(n_extra_jurors)]
    return round_, entries, jurors, spare


def test_staff_set_the_cut_and_the_page_says_which_places_are_open(client):
    round_, entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    client.force_login(staff)
    url = reverse("judging_admin:certainty", args=[round_.pk])

    response = client.post(url, {"action": "cut", "rule": "top", "value": "3"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.cut_rule, round_.cut_value) == ("top", 3)

    html = client.get(url).content.decode()
    _rows, found = selectors.certainty(round_)
    assert found[entries[0].pk].p_above == 1.0
    assert found[entries[4].pk].p_above == 0.0
    assert 'id="certainty-summary"' in html
    assert "undecided" in html  # entries 2 and 3 trade places at the cut
    assert sum(1 for c in found.values() if c.uncertain) >= 1
    assert "<svg" in html
    assert 'class="interval uncertain"' in html


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"rule": "top", "value": ""}, "Give N, or the threshold score."),
        ({"rule": "top", "value": "1.5"}, "N is a whole number of at least 1."),
        ({"rule": "top", "value": "0"}, "N is a whole number of at least 1."),
        ({"rule": "threshold", "value": "101"}, "Scores run from 0 to 100."),
        ({"rule": "bogus", "value": "3"}, "Select a valid choice."),
    ],
)
def test_a_malformed_cut_is_refused_and_nothing_changes(client, posted, error):
    round_, _entries, _jurors, _spare = scored_round()
    client.force_login(SuperuserFactory())

    response = client.post(
        reverse("judging_admin:certainty", args=[round_.pk]), {"action": "cut", **posted}
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    round_.refresh_from_db()
    assert round_.cut_rule == ""


def test_only_the_challenges_staff_see_the_certainty_page(client):
    round_, _entries, jurors, _spare = scored_round()
    url = reverse("judging_admin:certainty", args=[round_.pk])
    client.force_login(jurors[0].user)
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403, 404)


def test_the_certainty_page_queries_stay_flat(client):
    def count(extra):
        cache.clear()
        round_, _entries, _jurors, _spare = scored_round(extra_entries=extra)
        set_cut(round_=round_, rule="top", value=3, show_margins=False, by=SuperuserFactory())
        client.force_login(SuperuserFactory())
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("judging_admin:certainty", args=[round_.pk])).status_code == 200
            )
        return len(queries.captured_queries)

    assert count(0) == count(12)


def test_the_ranking_export_has_the_interval_and_the_probability(client):
    round_, entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    client.force_login(staff)

    def export():
        body = client.get(reverse("judging_admin:export", args=[round_.pk, "ranking"]))
        return list(csv.DictReader(io.StringIO(body.content.decode("utf-8-sig"))))

    without_cut = export()
    assert all(row["p_above_cut"] == "" for row in without_cut)
    assert all(row["score_low"] and row["score_high"] for row in without_cut)

    set_cut(round_=round_, rule="top", value=3, show_margins=False, by=staff)
    rows = {int(row["entry_id"]): row for row in export()}
    _ranking, found = selectors.certainty(round_)
    for entry in entries:
        c = found[entry.pk]
        assert rows[entry.pk]["p_above_cut"] == f"{c.p_above:.2f}"
        assert rows[entry.pk]["score_low"] == f"{c.low:.2f}"
        assert float(rows[entry.pk]["score_low"]) <= float(rows[entry.pk]["score"])
    assert rows[entries[0].pk]["p_above_cut"] == "1.00"


def test_extra_reviews_go_to_the_open_places_never_to_conflicted_or_full_jurors():
    round_, entries, jurors, spare = scored_round(n_extra_jurors=3)
    staff = SuperuserFactory()
    set_cut(round_=round_, rule="top", value=3, show_margins=False, by=staff)
    Conflict.objects.create(juror=spare[0], kind="team", team=entries[2].team)
    finished = {
        r.pk: (r.state, r.submitted_at)
        for r in Review.objects.filter(round=round_, state=ReviewState.SUBMITTED)
    }

    plan = plan_boundary_reviews(round_=round_, budget=4, per_juror=1)
    pairs = [(x.entry.pk, j.pk) for x in plan for j in x.jurors]
    reviews = add_boundary_reviews(round_=round_, pairs=pairs, per_juror=1, by=staff)

    assert 1 <= len(reviews) <= 3  # three spare jurors, one review each at most
    planned = {x.entry.pk for x in plan}
    assert planned <= {entries[1].pk, entries[2].pk, entries[3].pk}
    assert entries[0].pk not in planned
    assert entries[4].pk not in planned
    assert (entries[2].pk, spare[0].pk) not in pairs
    assert all(j not in {x.pk for x in jurors} for _e, j in pairs)  # they review all already
    given = [j for _e, j in pairs]
    assert len(given) == len(set(given))
    for review in Review.objects.filter(pk__in=finished):
        assert (review.state, review.submitted_at) == finished[review.pk]
    assert Notification.objects.filter(event="judging.juror_assigned").exists()


def test_a_tampered_or_stale_plan_changes_nothing():
    round_, entries, jurors, spare = scored_round()
    staff = SuperuserFactory()
    set_cut(round_=round_, rule="top", value=3, show_margins=False, by=staff)
    Conflict.objects.create(juror=spare[0], kind="team", team=entries[2].team)
    before = Review.objects.count()

    for pairs, per_juror in [
        ([(entries[2].pk, spare[0].pk)], 3),  # a conflicted juror
        ([(entries[2].pk, jurors[0].pk)], 3),  # reviews it already
        ([(entries[2].pk, spare[1].pk), (entries[3].pk, spare[1].pk)], 1),  # over capacity
        ([(999_999, spare[1].pk)], 3),  # not an entry in scope
    ]:
        with pytest.raises(Refused):
            add_boundary_reviews(round_=round_, pairs=pairs, per_juror=per_juror, by=staff)

    assert Review.objects.count() == before


def test_the_page_previews_then_assigns_the_plan(client):
    round_, _entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    set_cut(round_=round_, rule="top", value=3, show_margins=False, by=staff)
    client.force_login(staff)
    url = reverse("judging_admin:certainty", args=[round_.pk])
    before = Review.objects.count()

    preview = client.post(url, {"action": "preview", "budget": "2", "per_juror": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="boundary-plan"' in html
    assert Review.objects.count() == before  # a preview assigns nothing
    plan = html.split('name="plan" value="')[1].split('"')[0]

    done = client.post(url, {"action": "confirm", "budget": "2", "per_juror": "1", "plan": plan})
    assert done.status_code == 302
    assert Review.objects.count() == before + len(plan.split())

    garbage = client.post(
        url, {"action": "confirm", "budget": "2", "per_juror": "1", "plan": "1:2; DROP"}
    )
    assert garbage.status_code == 400
    assert Review.objects.count() == before + len(plan.split())


def test_a_locked_round_gets_no_extra_reviews(client):
    round_, _entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    set_cut(round_=round_, rule="top", value=3, show_margins=False, by=staff)
    lock_round(round_=round_, by=staff)

    with pytest.raises(Refused):
        plan_boundary_reviews(round_=round_, budget=3, per_juror=1)
    before = Review.objects.count()
    with pytest.raises(Refused):
        add_boundary_reviews(
            round_=round_, pairs=[(_entries[2].pk, _spare[0].pk)], per_juror=1, by=staff
        )
    assert Review.objects.count() == before


def test_published_results_name_the_places_within_the_margin(settings):
    settings.LANGUAGE_CODE = "en"
    round_, entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    set_cut(round_=round_, rule="top", value=3, show_margins=True, by=staff)
    lock_round(round_=round_, by=staff)
    publish_round(round_=round_, by=staff)
    for entry in entries:
        change_status(submission=entry, status="finalist", by=staff)

    html = Template("{% load judging_tags %}{% published_results challenge %}").render(
        Context({"challenge": round_.challenge})
    )

    margins = round_.publication.margins
    assert margins  # entries 2 and 3 at least overlap
    first, last = margins[0]
    assert f"Places {first}–{last} were within the margin of the jury" in html


def test_without_the_choice_published_results_claim_no_margin(settings):
    settings.LANGUAGE_CODE = "en"
    round_, entries, _jurors, _spare = scored_round()
    staff = SuperuserFactory()
    lock_round(round_=round_, by=staff)
    publish_round(round_=round_, by=staff)
    for entry in entries:
        change_status(submission=entry, status="finalist", by=staff)

    html = Template("{% load judging_tags %}{% published_results challenge %}").render(
        Context({"challenge": round_.challenge})
    )

    assert round_.publication.margins == []
    assert "within the margin" not in html
