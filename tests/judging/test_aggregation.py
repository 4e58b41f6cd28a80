"""The judging maths on hand-computed cases (docs/judging.md explains each formula)."""

import pytest

from judging.services.aggregation import (
    ReviewScore,
    adjusted_scores,
    aggregate,
    estimate_bias,
    juror_statistics,
    krippendorff_alpha,
    weighted_score,
)


def R(entry, juror, score, top=0.0):
    return ReviewScore(entry_id=entry, juror_id=juror, score=score, top=top)


def ranks(rows):
    return [(r.entry_id, r.rank, None if r.score is None else round(r.score, 2)) for r in rows]


def test_weighted_score_normalises_weights_and_scales_to_0_100():
    # weight 2 on 1–10 scored 10 (fraction 1); weight 1 on 0–5 (half points) scored 2.5 (0.5)
    assert weighted_score([(10, 2, 1, 10), (2.5, 1, 0, 5)]) == pytest.approx(250 / 3)
    # weights need not sum to 100: 30/70 and 3/7 give the same score
    assert weighted_score([(4, 30, 0, 10), (10, 70, 0, 10)]) == pytest.approx(
        weighted_score([(4, 3, 0, 10), (10, 7, 0, 10)])
    )
    assert weighted_score([(1, 1, 1, 10)]) == 0


def test_weighted_score_refuses_zero_weights():
    with pytest.raises(ValueError, match="positive"):
        weighted_score([(5, 0, 0, 10)])


def test_mean_ties_are_broken_by_the_highest_weight_criterion_then_variance():
    reviews = [
        # e1 and e2 both average 70; e1 is stronger on the top criterion
        R(1, 10, 80, top=90),
        R(1, 11, 60, top=60),
        R(1, 12, 70, top=75),
        R(2, 10, 90, top=60),
        R(2, 11, 50, top=60),
        R(2, 12, 70, top=60),
        # e3 also averages 70 with the same top mean as e2 but agrees more (lower variance)
        R(3, 10, 70, top=60),
        R(3, 11, 70, top=60),
        R(3, 12, 70, top=60),
    ]
    rows = aggregate(reviews, method="mean", expected=3, entries={1: 3, 2: 1, 3: 2})
    assert ranks(rows) == [(1, 1, 70.0), (3, 2, 70.0), (2, 3, 70.0)]


def test_full_ties_fall_back_to_the_earlier_submission_then_the_id():
    reviews = [R(5, 1, 50), R(6, 1, 50), R(7, 1, 50)]
    rows = aggregate(reviews, method="mean", expected=1, entries={5: 20, 6: 10, 7: 10})
    assert [r.entry_id for r in rows] == [6, 7, 5]


def test_entries_with_missing_reviews_are_flagged_not_ranked():
    reviews = [R(1, 1, 40), R(1, 2, 50), R(1, 3, 60), R(2, 1, 99), R(2, 2, 99)]
    rows = aggregate(reviews, method="mean", expected=3, entries={1: 1, 2: 2, 3: 3})
    assert ranks(rows) == [(1, 1, 50.0), (2, None, 99.0), (3, None, None)]
    assert rows[1].flags == ["incomplete"]
    assert rows[2].flags == ["incomplete"]
    assert rows[2].reviews_done == 0


def test_normalised_maps_each_juror_to_z_scores_and_back_to_the_panel_scale():
    # Juror 1 is lenient (80 ± 10), juror 2 harsh (50 ± 10).
    reviews = [R(1, 1, 90, top=1), R(2, 1, 70), R(3, 2, 60), R(2, 2, 40)]
    # Panel: mean 65, SD sqrt(325) = 18.0278; z = ±1 → 65 ± 18.03.
    assert adjusted_scores(reviews, "normalised") == pytest.approx(
        [83.0278, 46.9722, 83.0278, 46.9722], abs=1e-4
    )
    mean = aggregate(reviews, method="mean", expected=1, entries={1: 1, 2: 2, 3: 3})
    norm = aggregate(reviews, method="normalised", expected=1, entries={1: 1, 2: 2, 3: 3})
    assert ranks(mean) == [(1, 1, 90.0), (3, 2, 60.0), (2, 3, 55.0)]
    # e1 and e3 tie at 83.03 after normalisation; e1 wins on the top criterion.
    assert ranks(norm) == [(1, 1, 83.03), (3, 2, 83.03), (2, 3, 46.97)]


def test_normalised_keeps_the_raw_score_of_a_juror_with_one_review():
    reviews = [R(1, 1, 90), R(2, 1, 70), R(3, 2, 20)]
    adjusted = adjusted_scores(reviews, "normalised")
    assert adjusted[2] == 20  # z undefined for a single review: documented fallback


def test_normalised_keeps_raw_scores_of_a_juror_who_gives_everyone_the_same():
    reviews = [R(1, 1, 90), R(2, 1, 70), R(1, 2, 55), R(2, 2, 55)]
    assert adjusted_scores(reviews, "normalised")[2:] == [55, 55]


def test_trimmed_mean_drops_highest_and_lowest_from_four_reviews_up():
    five = [R(1, j, s) for j, s in enumerate([10, 50, 60, 70, 100])]
    three = [R(2, j, s) for j, s in enumerate([10, 50, 90])]
    # four, lopsided: the trimmed mean of 10, 20, 30, 100 is (20 + 30) / 2 = 25; the mean 40
    four = [R(3, j, s) for j, s in enumerate([10, 20, 30, 100])]
    rows = aggregate(five + three + four, method="trimmed", expected=3, entries={1: 1, 2: 2, 3: 3})
    assert ranks(rows) == [(1, 1, 60.0), (2, 2, 50.0), (3, 3, 25.0)]


def test_bias_method_recovers_quality_through_a_shared_entry():
    # Juror A (1) scores e1 80 and e3 70; juror B (2) scores e2 60 and e3 50.
    # With ridge 1 and symmetry b_A = -b_B = b: b = (b + 10)/3 → b = 5, so
    # f1 = 75, f2 = 65, f3 = 60 (the mean gives 80, 60, 60).
    reviews = [R(1, 1, 80), R(3, 1, 70), R(2, 2, 60), R(3, 2, 50)]
    quality, bias = estimate_bias(reviews)
    assert quality == pytest.approx({1: 75, 2: 65, 3: 60}, abs=1e-6)
    assert bias == pytest.approx({1: 5, 2: -5}, abs=1e-6)
    rows = aggregate(reviews, method="bias", expected=1, entries={1: 1, 2: 2, 3: 3})
    assert ranks(rows) == [(1, 1, 75.0), (2, 2, 65.0), (3, 3, 60.0)]
    mean = aggregate(reviews, method="mean", expected=1, entries={1: 1, 2: 2, 3: 3})
    assert ranks(mean) == [(1, 1, 80.0), (2, 2, 60.0), (3, 3, 60.0)]


def test_disagreement_and_must_pass_are_flagged():
    reviews = [R(1, 1, 20), R(1, 2, 90), R(2, 1, 60), R(2, 2, 65)]
    rows = aggregate(
        reviews,
        method="mean",
        expected=2,
        entries={1: 1, 2: 2},
        disagreement=30,
        must_pass_failed={2},
    )
    by_id = {r.entry_id: r for r in rows}
    assert by_id[1].flags == ["disagreement"]
    assert by_id[1].spread == 70
    assert by_id[2].flags == ["must_pass"]


def test_krippendorff_alpha_on_a_hand_computed_case():
    # units (1, 3) and (5, 7): D_o = 16/4 = 4, D_e = 160/12, alpha = 1 - 0.3 = 0.7
    reviews = [R(1, 1, 1), R(1, 2, 3), R(2, 1, 5), R(2, 2, 7)]
    assert krippendorff_alpha(reviews) == pytest.approx(0.7)
    assert krippendorff_alpha([R(1, 1, 1), R(1, 2, 3)]) is None


def test_juror_statistics_flag_a_juror_far_from_the_others():
    reviews = []
    for juror, base in [(1, 60), (2, 62), (3, 58), (4, 30)]:
        reviews += [R(e, juror, base + d) for e, d in [(1, -5), (2, 0), (3, 5)]]
    stats, panel_mean, _panel_sd = juror_statistics(reviews)
    assert [j for j, s in stats.items() if s.outlier] == [4]
    assert stats[1].mean == 60
    assert stats[4].low == 25
    assert stats[4].high == 35
    assert panel_mean == pytest.approx(52.5)


def test_a_spread_of_exactly_the_threshold_is_not_a_disagreement_despite_float_noise():
    # 60.000000000000014 - 30 is "above" 30 by float noise only; 80.5 - 50 is above.
    reviews = [R(1, 1, 30.0), R(1, 2, 60.000000000000014), R(2, 1, 50), R(2, 2, 80.5)]
    rows = aggregate(reviews, method="mean", expected=2, entries={1: 1, 2: 2}, disagreement=30)
    by_id = {r.entry_id: r for r in rows}
    assert by_id[1].flags == []
    assert by_id[2].flags == ["disagreement"]
