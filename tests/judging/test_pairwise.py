"""Pairwise expo judging: the ranking models on hand-computed cases, sending judges round
the tables, every refusal, the judge's and the staff's pages, the exports."""

import csv
import io
import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Refused
from judging.enums import ConflictKind, VisitState
from judging.models import Comparison, Conflict, ExpoTable, PairwiseVisit
from judging.services import pairwise
from judging.services.pairwise_model import (
    Item,
    Judge,
    bradley_terry,
    information_gain,
    kendall_tau,
    replay,
    update,
)
from tests.factories import PairwiseRoundFactory, SuperuserFactory
from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


# --- the models, by hand ---------------------------------------------------------------------
def test_one_crowd_bt_step_from_the_priors_matches_the_hand_computation():
    # Two equal projects (mu 0, sigma² 1), a judge at the prior Beta(10, 1).
    # step = 10/11 - 1/2 = 9/22; shrink = 10/121 - 1/4 = -81/484.
    judge, winner, loser = update(Judge(), Item(), Item())
    assert winner.mu == pytest.approx(9 / 22)
    assert loser.mu == pytest.approx(-9 / 22)
    assert winner.sigma2 == pytest.approx(1 - 81 / 484)
    assert loser.sigma2 == pytest.approx(403 / 484)
    # Between two projects believed equal an answer says nothing about the judge:
    # E[eta] = 60/66, E[eta²] = 715/858, so alpha' = 10 and beta' = 1 again.
    assert (judge.alpha, judge.beta) == (pytest.approx(10), pytest.approx(1))


def test_a_judge_who_contradicts_a_clear_standing_loses_reliability():
    strong, weak = Item(mu=2, sigma2=0.1), Item(mu=-2, sigma2=0.1)
    agrees, *_ = update(Judge(), strong, weak)
    contradicts, *_ = update(Judge(), weak, strong)
    assert agrees.reliability > Judge().reliability > contradicts.reliability
    # By hand: c1 = e²/(e²+e⁻²) + 0.5·0.2·(1)(e⁻² - e²)/(e²+e⁻²)³ for the agreeing judge.
    ew, el = math.exp(2), math.exp(-2)
    c1 = ew / (ew + el) + 0.1 * ew * el * (el - ew) / (ew + el) ** 3
    c = (10 * c1 + (1 - c1)) / 11
    first = (c1 * 110 + (1 - c1) * 10) / (c * 12 * 11)
    assert agrees.reliability == pytest.approx(first)


def test_three_projects_come_out_in_the_order_of_their_wins():
    answers = [("j", "a", "b"), ("j", "b", "c"), ("j", "a", "c"), ("k", "a", "b"), ("k", "b", "c")]
    items, judges = replay(answers)
    assert sorted(items, key=lambda k: -items[k].mu) == ["a", "b", "c"]
    assert set(judges) == {"j", "k"}
    strengths, sds = bradley_terry(3, [(0, 1), (1, 2), (0, 2), (0, 1), (1, 2)])
    assert strengths[0] > strengths[1] > strengths[2]
    assert all(sd > 0 for sd in sds)
    # Symmetric data, symmetric answer: b sits in the middle at 0.
    assert strengths[1] == pytest.approx(0, abs=1e-3)
    assert kendall_tau([3, 2, 1], [30, 20, 10]) == pytest.approx(1)
    assert kendall_tau([3, 2, 1], [10, 20, 30]) == pytest.approx(-1)


def test_information_gain_prefers_an_uncertain_close_project():
    previous = Item()
    assert information_gain(Judge(), previous, Item()) > information_gain(
        Judge(), previous, Item(mu=3, sigma2=0.05)
    )


# --- a round ----------------------------------------------------------------------------------
@pytest.fixture
def expo():
    round_ = PairwiseRoundFactory()
    entries = make_entries(round_.challenge, 5)
    juror = make_juror(round_.challenge)
    return round_, entries, juror


def _walk_through(round_, juror, steps):
    """Start, see the first table, then compare ``steps`` times (the current one wins)."""
    state = pairwise.start(round_=round_, juror=juror, by=juror.user)
    return _walk_on(round_, juror, state, steps=steps, current_wins=True)


def _walk_on(round_, juror, state, *, steps=None, current_wins):
    """From ``state``: see its table, then compare ``steps`` times (or until the walk
    ends), the current table winning or the previous one; ``(tables sent, last state)``."""
    sent = [state.current.submission_id]
    state = pairwise.mark_seen(round_=round_, juror=juror, by=juror.user, visit_id=state.current.pk)
    done = 0
    while state.current is not None and (steps is None or done < steps):
        sent.append(state.current.submission_id)
        current, previous = state.current.submission_id, state.previous.submission_id
        pairwise.compare(
            round_=round_,
            juror=juror,
            by=juror.user,
            winner_id=current if current_wins else previous,
            loser_id=previous if current_wins else current,
        )
        state = pairwise.walk(round_, juror)
        done += 1
    return sent, state


def test_tables_are_numbered_in_submission_order_and_kept(expo):
    round_, entries, _juror = expo
    tables = pairwise.ensure_tables(round_)
    assert [(t.submission_id, t.number) for t in tables] == [
        (e.id, n) for n, e in enumerate(entries, start=1)
    ]
    pairwise.ensure_tables(round_)
    assert ExpoTable.objects.filter(round=round_).count() == 5


def test_a_judge_is_sent_round_every_table_once_and_compares(expo):
    round_, entries, juror = expo
    sent, state = _walk_through(round_, juror, 10)
    assert sorted(sent) == sorted(e.id for e in entries)  # every table, none twice
    assert sent[0] == entries[0].id  # all equal at first: the lowest table number
    assert Comparison.objects.filter(round=round_, judge=juror).count() == 4
    assert state.current is None  # nothing left to visit


def test_never_sent_to_a_conflicted_entry(expo):
    round_, entries, juror = expo
    Conflict.objects.create(
        juror=juror,
        kind=ConflictKind.PERSON,
        person=entries[0].owner.username,
        declared_by=juror.user,
    )
    sent, _state = _walk_through(round_, juror, 10)
    assert entries[0].id not in sent
    assert len(sent) == 4


def test_the_next_table_has_the_fewest_comparisons(expo):
    round_, entries, juror = expo
    other = make_juror(round_.challenge)
    pairwise.ensure_tables(round_)
    for winner, loser in ((entries[0], entries[1]), (entries[1], entries[2])):
        Comparison.objects.create(round=round_, judge=other, winner=winner, loser=loser)
    state = pairwise.start(round_=round_, juror=juror, by=juror.user)
    assert state.current.submission_id == entries[3].id  # 0 comparisons, lowest table
    state = pairwise.mark_seen(round_=round_, juror=juror, by=juror.user, visit_id=state.current.pk)
    assert state.current.submission_id == entries[4].id  # the other one never compared


def test_a_table_another_judge_walks_to_comes_after_a_free_one(expo):
    round_, entries, juror = expo
    other = make_juror(round_.challenge)
    first = pairwise.start(round_=round_, juror=other, by=other.user)
    assert first.current.submission_id == entries[0].id
    mine = pairwise.start(round_=round_, juror=juror, by=juror.user)
    assert mine.current.submission_id == entries[1].id


def test_a_skipped_table_comes_back_only_when_nothing_else_is_left(expo):
    round_, _entries, juror = expo
    state = pairwise.start(round_=round_, juror=juror, by=juror.user)
    skipped = state.current.submission_id
    state = pairwise.skip(round_=round_, juror=juror, by=juror.user, visit_id=state.current.pk)
    assert state.current.submission_id != skipped
    assert PairwiseVisit.objects.get(submission_id=skipped).state == VisitState.SKIPPED
    sent, _state = _walk_on(round_, juror, state, current_wins=False)
    assert sent[-1] == skipped  # last: once every other table was seen


# --- refusals --------------------------------------------------------------------------------
def _at_second_table(round_, juror):
    state = pairwise.start(round_=round_, juror=juror, by=juror.user)
    return pairwise.mark_seen(round_=round_, juror=juror, by=juror.user, visit_id=state.current.pk)


def test_a_pair_the_judge_was_not_sent_to_is_refused(expo):
    round_, entries, juror = expo
    state = _at_second_table(round_, juror)
    elsewhere = next(
        e
        for e in entries
        if e.id not in (state.current.submission_id, state.previous.submission_id)
    )
    with pytest.raises(Refused) as caught:
        pairwise.compare(
            round_=round_,
            juror=juror,
            by=juror.user,
            winner_id=elsewhere.id,
            loser_id=state.previous.submission_id,
        )
    assert caught.value.code == "expo_not_sent"
    assert not Comparison.objects.exists()


def test_a_first_table_has_nothing_to_compare_with(expo):
    round_, entries, juror = expo
    state = pairwise.start(round_=round_, juror=juror, by=juror.user)
    with pytest.raises(Refused) as caught:
        pairwise.compare(
            round_=round_,
            juror=juror,
            by=juror.user,
            winner_id=state.current.submission_id,
            loser_id=entries[4].id,
        )
    assert caught.value.code == "expo_not_sent"


def test_a_comparison_after_the_round_closes_is_refused(expo):
    round_, _entries, juror = expo
    state = _at_second_table(round_, juror)
    round_.closes_at = timezone.now() - timedelta(minutes=1)
    round_.opens_at = timezone.now() - timedelta(days=1)
    round_.save()
    with pytest.raises(Refused) as caught:
        pairwise.compare(
            round_=round_,
            juror=juror,
            by=juror.user,
            winner_id=state.current.submission_id,
            loser_id=state.previous.submission_id,
        )
    assert caught.value.code == "expo_closed"
    assert not Comparison.objects.exists()


def test_a_comparison_with_a_conflicted_project_is_refused(expo):
    round_, entries, juror = expo
    state = _at_second_table(round_, juror)
    current = next(e for e in entries if e.id == state.current.submission_id)
    # Declared after being sent there (the judge recognises the team at the table).
    Conflict.objects.create(
        juror=juror, kind=ConflictKind.PERSON, person=current.owner.username, declared_by=juror.user
    )
    with pytest.raises(Refused) as caught:
        pairwise.compare(
            round_=round_,
            juror=juror,
            by=juror.user,
            winner_id=current.id,
            loser_id=state.previous.submission_id,
        )
    assert caught.value.code == "expo_conflicted"
    assert not Comparison.objects.exists()
    # Skipping it is the way on: never sent there again.
    state = pairwise.skip(round_=round_, juror=juror, by=juror.user, visit_id=state.current.pk)
    assert state.current.submission_id != current.id


def test_another_person_cannot_walk_as_the_judge(expo):
    round_, _entries, juror = expo
    other = make_juror(round_.challenge)
    with pytest.raises(Refused) as caught:
        pairwise.start(round_=round_, juror=juror, by=other.user)
    assert caught.value.code == "expo_not_judge"


def test_the_same_answer_sent_twice_is_taken_once(expo):
    round_, _entries, juror = expo
    state = _at_second_table(round_, juror)
    answer = {
        "winner_id": state.current.submission_id,
        "loser_id": state.previous.submission_id,
    }
    first = pairwise.compare(round_=round_, juror=juror, by=juror.user, **answer)
    again = pairwise.compare(round_=round_, juror=juror, by=juror.user, **answer)
    assert first.pk == again.pk
    assert Comparison.objects.count() == 1


def test_a_scored_round_is_not_walked():
    round_ = make_round()
    juror = make_juror(round_.challenge)
    with pytest.raises(Refused) as caught:
        pairwise.start(round_=round_, juror=juror, by=juror.user)
    assert caught.value.code == "expo_not_pairwise"


# --- pages -------------------------------------------------------------------------------------
def test_the_judge_page_walks_with_plain_forms(client, expo):
    round_, _entries, juror = expo
    client.force_login(juror.user)
    url = reverse("judging:expo", args=[round_.id])
    answer = reverse("judging:expo_answer", args=[round_.id])
    assert client.get(reverse("judging:queue", args=[round_.id])).url == url
    assert "Start: send me to a table" in client.get("/en" + url[3:]).content.decode()
    assert client.post(answer, {"action": "start"}).status_code == 302
    visit = PairwiseVisit.objects.get(state="sent")
    client.post(answer, {"action": "seen", "visit": visit.pk})
    current = PairwiseVisit.objects.get(state="sent")
    page = client.get("/en" + url[3:]).content.decode()
    assert "Which of the last two projects was better?" in page
    assert f"Go to table {2}" in page
    # A posted pair the judge was not sent to: refused, 400, nothing saved.
    bad = client.post(
        "/en" + answer[3:],
        {"action": "compare", "a": visit.submission_id, "b": 999999, "winner": 999999},
    )
    assert bad.status_code == 400
    assert "You were not sent to compare these two projects." in bad.content.decode()
    good = client.post(
        answer,
        {
            "action": "compare",
            "a": visit.submission_id,
            "b": current.submission_id,
            "winner": current.submission_id,
        },
    )
    assert good.status_code == 302
    assert Comparison.objects.get().winner_id == current.submission_id


@pytest.mark.parametrize("junk", ["9" * 40, "-1", "abc", ""])
def test_junk_ids_are_refused_without_an_error(client, expo, junk):
    round_, _entries, juror = expo
    client.force_login(juror.user)
    answer = reverse("judging:expo_answer", args=[round_.id])
    client.post(answer, {"action": "start"})
    for data in (
        {"action": "compare", "a": junk, "b": junk, "winner": junk},
        {"action": "seen", "visit": junk},
        {"action": "skip", "visit": junk},
        {"action": junk},
    ):
        assert client.post(answer, data).status_code == 400
    assert not Comparison.objects.exists()


def test_someone_not_on_the_jury_finds_no_expo_page(client, expo):
    round_, _entries, _juror = expo
    client.force_login(SuperuserFactory())
    assert client.get(reverse("judging:expo", args=[round_.id])).status_code == 404


def test_staff_page_shows_ranking_counts_and_agreement_with_the_scored_round(client):
    scored = make_round(k=1)
    entries = make_entries(scored.challenge, 3)
    scorer = make_juror(scored.challenge)
    for review, values in zip(
        assign(scored, scorer, entries), ([9, 5], [6, 3], [2, 1]), strict=True
    ):
        submit_scores(review, values)
    round_ = PairwiseRoundFactory(challenge=scored.challenge, position=2)
    judge = make_juror(scored.challenge)
    pairwise.ensure_tables(round_)
    a, b, c = entries
    for winner, loser in ((a, b), (b, c), (a, c), (a, b)):
        Comparison.objects.create(round=round_, judge=judge, winner=winner, loser=loser)

    rows = pairwise.ranking(round_)
    assert [r.entry.id for r in rows] == [a.id, b.id, c.id]
    assert [r.comparisons for r in rows] == [3, 3, 2]
    assert [r.wins for r in rows] == [3, 1, 0]
    agreement = pairwise.scored_agreement(round_, rows)
    assert (agreement.round, agreement.common) == (scored, 3)
    assert agreement.tau == pytest.approx(1)
    (judge_row,) = pairwise.judge_rows(round_)
    assert (judge_row.juror, judge_row.comparisons) == (judge, 4)

    client.force_login(SuperuserFactory())
    assert client.get(reverse("judging_admin:round", args=[round_.id])).url == reverse(
        "judging_admin:pairwise", args=[round_.id]
    )
    page = client.get(reverse("judging_admin:pairwise", args=[round_.id])).content.decode()
    assert "4 comparisons so far." in page
    assert "Kendall τ = 1.00 over 3 projects" in page
    assert a.title in page

    export = client.get(reverse("judging_admin:export", args=[round_.id, "pairwise"]))
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["rank", "table", "entry_id"]
    assert [row[2] for row in table[1:]] == [str(a.id), str(b.id), str(c.id)]
    assert [row[9] for row in table[1:]] == ["3", "3", "2"]
    comparisons = client.get(reverse("judging_admin:export", args=[round_.id, "comparisons"]))
    assert len(comparisons.content.decode("utf-8-sig").strip().splitlines()) == 5


def test_staff_renumber_a_table_and_a_taken_number_is_refused(client, expo):
    round_, entries, _juror = expo
    pairwise.ensure_tables(round_)
    client.force_login(SuperuserFactory())
    url = reverse("judging_admin:pairwise", args=[round_.id])
    ok = client.post(url, {"action": "table", "entry": entries[0].id, "number": 40})
    assert ok.status_code == 302
    assert ExpoTable.objects.get(submission=entries[0]).number == 40
    taken = client.post(url, {"action": "table", "entry": entries[1].id, "number": 40})
    assert taken.status_code == 400
    assert "Table 40 is another project" in taken.content.decode()
    assert ExpoTable.objects.get(submission=entries[1]).number == 2


def test_staff_create_a_pairwise_round_open_it_without_criteria_and_cannot_publish_it(client):
    from judging.models import Round

    challenge = make_round().challenge
    client.force_login(SuperuserFactory())
    url = reverse("judging_admin:round_new", args=[challenge.id])
    response = client.post(
        url,
        {
            "name": "Ekspo",
            "mode": "pairwise",
            "position": 2,
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2036-12-10T18:00",
            "scope": "eligible",
            "reviews_per_entry": 1,
            "method": "normalised",
            "fast_review_minutes": 3,
            "disagreement_threshold": "30",
            "criteria-TOTAL_FORMS": 0,
            "criteria-INITIAL_FORMS": 0,
        },
    )
    expo = Round.objects.get(name="Ekspo")
    assert response.status_code == 302
    assert expo.is_pairwise
    action = reverse("judging_admin:round_action", args=[expo.id])
    client.post(action, {"action": "open"})
    expo.refresh_from_db()
    assert expo.status == "open"
    client.post(action, {"action": "lock"})
    page = client.post(action, {"action": "publish"}, follow=True).content.decode()
    assert "ranking is not published on the site" in page
    expo.refresh_from_db()
    assert expo.status == "locked"
    # A locked round takes no more comparisons.
    juror = make_juror(challenge)
    with pytest.raises(Refused) as caught:
        pairwise.start(round_=expo, juror=juror, by=juror.user)
    assert caught.value.code == "expo_closed"
