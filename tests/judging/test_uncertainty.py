"""How sure a ranking is: the bootstrap, the cut, the boundary and the extra-review plan,
on hand-made cases (pure functions, no database)."""

import pytest

from judging.services.aggregation import ReviewScore, aggregate
from judging.services.uncertainty import (
    RESAMPLES,
    THRESHOLD,
    TOP,
    TOP_PER_TRACK,
    Certainty,
    Cut,
    boundary,
    certainty,
    margins,
    plan_extra_reviews,
)


def reviews(table):
    """``{entry: [score, …]}`` → reviews by jurors 1, 2, 3 … in order."""
    return [
        ReviewScore(entry, juror, float(score))
        for entry, scores in table.items()
        for juror, score in enumerate(scores, start=1)
    ]


def run(table, cut, method="mean", expected=3, seed=7, tracks=None, **extra):
    rs = reviews(table)
    return certainty(
        rs,
        method=method,
        expected=expected,
        entries=dict.fromkeys(table),
        cut=cut,
        tracks=tracks,
        seed=seed,
        **extra,
    )


TABLE = {
    1: [90, 91, 89],  # far above
    2: [70, 40, 65],
    3: [62, 60, 58],
    4: [55, 75, 45],
    5: [10, 12, 11],  # far below
}


def test_identical_reviews_give_a_zero_width_interval():
    found = run({1: [60, 60, 60], 2: [40, 50, 30]}, Cut(TOP, 1))

    assert found[1].low == found[1].high == 60.0
    assert found[2].low < found[2].high


def test_an_entry_far_above_the_cut_is_certain_and_far_below_never_above():
    found = run(TABLE, Cut(TOP, 2))

    assert found[1].p_above == 1.0
    assert found[1].above
    assert found[5].p_above == 0.0
    assert not found[5].above
    assert not found[1].uncertain
    assert not found[5].uncertain


def test_the_interval_holds_the_score_and_stays_inside_the_reviews():
    found = run(TABLE, Cut(TOP, 2))
    rows = aggregate(reviews(TABLE), method="mean", expected=3, entries=dict.fromkeys(TABLE))

    for row in rows:
        c = found[row.entry_id]
        assert min(TABLE[row.entry_id]) <= c.low <= row.score <= c.high <= max(TABLE[row.entry_id])


def test_the_same_seed_repeats_and_another_seed_may_differ():
    first, again = run(TABLE, Cut(TOP, 2), seed=3), run(TABLE, Cut(TOP, 2), seed=3)
    other = run(TABLE, Cut(TOP, 2), seed=4)

    assert first == again
    assert [first[e].p_above for e in TABLE] != [other[e].p_above for e in TABLE] or (
        [first[e].low for e in TABLE] != [other[e].low for e in TABLE]
    )


def test_probabilities_are_shares_of_the_resamples():
    found = run(TABLE, Cut(TOP, 2))

    for c in found.values():
        assert (c.p_above * RESAMPLES) == pytest.approx(round(c.p_above * RESAMPLES))
    # Exactly two entries are above in every resample: the shares add up to the cut's size.
    assert sum(c.p_above for c in found.values()) == pytest.approx(2.0)


def test_the_uncertain_band_is_open_at_both_ends():
    assert not Certainty(1, 0, 1, 0.2, True).uncertain
    assert Certainty(1, 0, 1, 0.21, True).uncertain
    assert Certainty(1, 0, 1, 0.79, True).uncertain
    assert not Certainty(1, 0, 1, 0.8, True).uncertain


def test_a_threshold_cut_takes_scores_at_or_above_it():
    rows = aggregate(
        reviews({1: [70, 70, 70], 2: [69.99, 69.99, 69.99], 3: [71, 71, 71]}),
        method="mean",
        expected=3,
        entries={1: None, 2: None, 3: None},
    )

    assert Cut(THRESHOLD, 70).above(rows, {}) == {1, 3}


def test_a_per_track_cut_takes_the_top_of_each_track():
    table = {1: [90] * 3, 2: [80] * 3, 3: [70] * 3, 4: [60] * 3}
    tracks = {1: "a", 2: "a", 3: "b", 4: "b"}
    rows = aggregate(reviews(table), method="mean", expected=3, entries=dict.fromkeys(table))

    assert Cut(TOP_PER_TRACK, 1).above(rows, tracks) == {1, 3}
    assert Cut(TOP, 2).above(rows, tracks) == {1, 2}


def test_an_entry_without_enough_reviews_is_never_above():
    found = run({1: [90, 90], 2: [50, 50, 50]}, Cut(TOP, 1))

    assert found[1].p_above == 0.0
    assert found[2].p_above == 1.0


@pytest.mark.parametrize("value", [0, 1.5, -3])
def test_a_top_cut_needs_a_whole_n_of_at_least_one(value):
    with pytest.raises(ValueError, match="whole N"):
        Cut(TOP, value)


def test_the_boundary_says_which_places_are_settled_and_which_are_open():
    rows = aggregate(reviews(TABLE), method="mean", expected=3, entries=dict.fromkeys(TABLE))
    by_rank = [r.entry_id for r in rows]
    probabilities = dict(zip(by_rank, [1.0, 0.95, 0.6, 0.3, 0.0], strict=True))
    found = {e: Certainty(e, 0, 100, p, p > 0.5) for e, p in probabilities.items()}

    result = boundary(rows, found)

    assert result.settled_above == 2
    assert result.undecided == (3, 4)
    assert (
        boundary(
            rows,
            {e: Certainty(e, 0, 1, 1.0 if i < 2 else 0.0, i < 2) for i, e in enumerate(by_rank)},
        ).undecided
        is None
    )


def test_margins_are_runs_of_overlapping_neighbours():
    rows = aggregate(reviews(TABLE), method="mean", expected=3, entries=dict.fromkeys(TABLE))
    ids = [r.entry_id for r in rows]
    intervals = [(88, 92), (50, 68), (55, 62), (45, 60), (9, 13)]
    found = {
        e: Certainty(e, lo, hi, 0.5, False) for e, (lo, hi) in zip(ids, intervals, strict=True)
    }

    assert margins(rows, found) == [(2, 4)]


def test_extra_reviews_go_where_the_outcome_is_open_within_capacity():
    found = {
        1: Certainty(1, 0, 0, 1.0, True),
        2: Certainty(2, 0, 0, 0.5, True),
        3: Certainty(3, 0, 0, 0.4, False),
        4: Certainty(4, 0, 0, 0.0, False),
    }
    plan = plan_extra_reviews(
        found,
        budget=4,
        reviews_done={1: 3, 2: 3, 3: 3, 4: 3},
        candidates={1: [10, 11], 2: [10, 11, 12], 3: [11, 12], 4: [10]},
        capacity={10: 1, 11: 2, 12: 1},
    )

    assert set(plan) <= {2, 3}  # settled entries get none
    assert sum(len(j) for j in plan.values()) == 4
    given = [j for jurors in plan.values() for j in jurors]
    assert given.count(10) <= 1
    assert given.count(11) <= 2
    assert given.count(12) <= 1
    assert all(len(set(jurors)) == len(jurors) for jurors in plan.values())


def test_extra_reviews_stop_when_no_juror_is_left():
    found = {1: Certainty(1, 0, 0, 0.5, True)}

    plan = plan_extra_reviews(
        found, budget=10, reviews_done={1: 3}, candidates={1: [7]}, capacity={7: 5}
    )

    assert plan == {1: [7]}


@pytest.mark.parametrize("method", ["normalised", "bias", "trimmed"])
def test_every_method_gives_repeatable_certainty(method):
    first = run(TABLE, Cut(TOP, 2), method=method)

    assert first == run(TABLE, Cut(TOP, 2), method=method)
    assert first[1].p_above > first[5].p_above
