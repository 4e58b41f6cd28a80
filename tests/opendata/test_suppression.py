"""Small-cell suppression (opendata/services/suppression.py): hand-computed cases and
properties — no withheld cell can be recovered from the published total and cells."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opendata.services.suppression import suppress, suppress_together

T = 5  # the default threshold: fewer than five people is a small cell


@pytest.mark.parametrize(
    ("counts", "cells", "total"),
    [
        # Nothing small: everything is published.
        ([10, 20, 30], (10, 20, 30), 60),
        # Zeros are published; they name nobody.
        ([0, 12, 0], (0, 12, 0), 12),
        ([0, 0, 0], (0, 0, 0), 0),
        ([], (), 0),
        # One small cell: the next-smallest goes with it (secondary).
        ([3, 10, 20], (None, None, 20), 33),
        ([20, 3, 10], (20, None, None), 33),
        # Ties: the first in table order.
        ([3, 10, 10], (None, None, 10), 23),
        # Two small cells that are both ones: recoverable (D == k), so one more goes.
        ([1, 1, 10, 20], (None, None, None, 20), 32),
        # Two small cells at the ceiling (4 + 4 = 8 = 2 * 4): one more goes.
        ([4, 4, 12, 30], (None, None, None, 30), 50),
        # Two small cells that are neither: enough on their own.
        ([2, 3, 10], (None, None, 10), 15),
        ([1, 4, 10], (None, None, 10), 15),
        # A small total: withheld, with every non-zero cell.
        ([3, 0, 0], (None, 0, 0), None),
        ([1, 2], (None, None), None),
        # Nothing left to withhold and still recoverable: the total goes.
        ([1, 1, 1, 1, 1], (None,) * 5, None),
        ([4, 4], (None, None), None),
        # Exactly the threshold is not small.
        ([5, 5], (5, 5), 10),
    ],
)
def test_hand_computed_cases(counts, cells, total):
    found = suppress(counts, threshold=T)
    assert found.cells == cells
    assert found.total == total


def test_the_threshold_is_a_parameter():
    assert suppress([3, 10, 20], threshold=3).cells == (3, 10, 20)
    assert suppress([3, 10, 20], threshold=11).cells == (None, None, 20)
    assert suppress([3, 10, 20], threshold=1).cells == (3, 10, 20)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress([-1, 5], threshold=T)
    with pytest.raises(ValueError, match="at least one"):
        suppress([1], threshold=0)
    with pytest.raises(ValueError, match="one total"):
        suppress_together([[1, 2], [4]], threshold=T)


def test_breakdowns_of_one_population_share_their_total():
    # 33 people: by region one small cell; by gender nothing small.
    region, gender = suppress_together([[3, 10, 20], [13, 20, 0]], threshold=T)
    assert region.cells == (None, None, 20)
    assert region.total == gender.total == 33
    assert gender.cells == (13, 20, 0)


def test_one_withheld_total_withholds_the_whole_population():
    # By region the total has to go ([4, 4]); by gender all cells are large enough, and
    # they would add up to it: so they go too (zeros stay).
    region, gender = suppress_together([[4, 4], [8, 0]], threshold=T)
    assert region.total is gender.total is None
    assert region.cells == (None, None)
    assert gender.cells == (None, 0)


# --- what a reader can work out -----------------------------------------------------------
def solutions(found, *, ceiling=None):
    """Every assignment of the withheld cells consistent with what is published: each
    withheld cell at least one (zeros are shown) and, with ``ceiling``, at most it; their
    sum the total minus the published cells. Brute force, independent of the module."""
    withheld = found.withheld
    rest = found.total - sum(c for c in found.cells if c is not None)
    top = rest if ceiling is None else min(rest, ceiling)
    return list(_compositions(rest, len(withheld), top))


def _compositions(rest, parts, top):
    """Every tuple of ``parts`` ints in ``1..top`` summing to ``rest``."""
    if parts == 0:
        if rest == 0:
            yield ()
        return
    for first in range(1, min(top, rest - (parts - 1)) + 1):
        for tail in _compositions(rest - first, parts - 1, top):
            yield (first, *tail)


def assert_not_recoverable(counts, found, threshold):
    if found.total is None or not found.withheld:
        return
    models = [None]
    if all(counts[i] < threshold for i in found.withheld):
        # A reader who guesses that every withheld cell is a small one is right here.
        models.append(threshold - 1)
    for ceiling in models:
        options = solutions(found, ceiling=ceiling)
        assert options, "the truth is always a solution"
        for position in range(len(found.withheld)):
            values = {option[position] for option in options}
            assert len(values) > 1, (counts, found, ceiling)


small_tables = st.lists(st.integers(min_value=0, max_value=14), min_size=0, max_size=5)


@settings(max_examples=400, deadline=None)
@given(counts=small_tables, threshold=st.integers(min_value=1, max_value=7))
def test_no_withheld_cell_is_recoverable_by_subtraction(counts, threshold):
    found = suppress(counts, threshold=threshold)
    assert_not_recoverable(counts, found, threshold)


@settings(max_examples=400, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=500), min_size=0, max_size=16),
    threshold=st.integers(min_value=1, max_value=20),
)
def test_published_numbers_are_true_and_small_ones_are_withheld(counts, threshold):
    found = suppress(counts, threshold=threshold)
    assert len(found.cells) == len(counts)
    total = sum(counts)
    assert found.total in (None, total)
    if 0 < total < threshold:
        assert found.total is None
    for count, cell in zip(counts, found.cells, strict=True):
        assert cell in (None, count)
        if 0 < count < threshold:
            assert cell is None  # primary
        if count == 0:
            assert cell == 0  # zeros are shown
    # Never exactly one withheld cell beside a published total.
    if found.total is not None:
        assert len(found.withheld) != 1
    # A withheld total comes with every non-zero cell withheld.
    if found.total is None:
        assert all(cell is None for cell, count in zip(found.cells, counts, strict=True) if count)


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4),
    threshold=st.integers(min_value=2, max_value=6),
    data=st.data(),
)
def test_no_cell_is_recoverable_across_breakdowns_of_one_population(counts, threshold, data):
    # A second breakdown of the same people: the same total, split differently.
    total = sum(counts)
    cuts = sorted(data.draw(st.lists(st.integers(0, total), min_size=0, max_size=3)))
    other = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
    first, second = suppress_together([counts, other], threshold=threshold)
    assert first.total == second.total
    for table, found in ((counts, first), (other, second)):
        assert_not_recoverable(table, found, threshold)
        if found.total is None:
            # Nothing of the total shows through: no table publishes a non-zero cell.
            assert all(c in (None, 0) for c in first.cells + second.cells)
