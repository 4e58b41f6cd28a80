"""Automatic assignment as a pure function."""

import time
from collections import Counter

from judging.services.assignment import EntryNode, JurorNode, is_connected, plan_assignment


def _check(plan, entries, k, conflicts=()):
    per_entry = Counter(e for e, _ in plan.add)
    assert all(per_entry[e.id] == k for e in entries)
    assert len(set(plan.add)) == len(plan.add)
    assert not set(plan.add) & set(conflicts)
    loads = Counter(j for _, j in plan.add)
    return loads


def test_every_entry_gets_k_jurors_and_loads_differ_by_at_most_one():
    entries = [EntryNode(i) for i in range(30)]
    jurors = [JurorNode(100 + j) for j in range(7)]
    plan = plan_assignment(entries=entries, jurors=jurors, k=3, seed=1)
    loads = _check(plan, entries, 3)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 90
    assert is_connected(plan.add)


def test_conflicted_jurors_are_never_assigned():
    entries = [EntryNode(i) for i in range(20)]
    jurors = [JurorNode(j) for j in range(100, 106)]
    conflicts = {(i, 100) for i in range(10)} | {(i, 101) for i in range(5, 15)}
    plan = plan_assignment(entries=entries, jurors=jurors, k=3, conflicts=conflicts, seed=2)
    loads = _check(plan, entries, 3, conflicts)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_entries_short_of_unconflicted_jurors_are_reported():
    entries = [EntryNode(1)]
    jurors = [JurorNode(10), JurorNode(11)]
    plan = plan_assignment(entries=entries, jurors=jurors, k=2, conflicts={(1, 10)})
    assert plan.add == [(1, 11)]
    assert plan.short == {1: 1}


def test_experts_get_their_track_among_equally_loaded_jurors():
    entries = [EntryNode(i, track_id=7 if i < 10 else 8) for i in range(20)]
    jurors = [JurorNode(1, frozenset({7})), JurorNode(2, frozenset({8}))]
    plan = plan_assignment(entries=entries, jurors=jurors, k=1, seed=3)
    assert sorted(e for e, j in plan.add if j == 1) == list(range(10))


def test_rerun_for_a_new_juror_keeps_started_reviews_and_rebalances_the_rest():
    entries = [EntryNode(i) for i in range(12)]
    first = plan_assignment(entries=entries, jurors=[JurorNode(1), JurorNode(2)], k=1, seed=4)
    started = [p for p in first.add if p[0] < 4]  # say the first four are finished
    not_started = [p for p in first.add if p[0] >= 4]
    second = plan_assignment(
        entries=entries,
        jurors=[JurorNode(1), JurorNode(2), JurorNode(3)],
        k=1,
        existing=first.add,
        movable=not_started,
        seed=5,
    )
    assert not set(second.remove) & set(started)
    final = (set(first.add) - set(second.remove)) | set(second.add)
    assert Counter(j for _, j in final) == {1: 4, 2: 4, 3: 4}
    assert Counter(e for e, _ in final) == dict.fromkeys(range(12), 1)


def test_thousand_entries_forty_jurors_in_seconds():
    entries = [EntryNode(i, track_id=i % 4) for i in range(1000)]
    jurors = [JurorNode(10_000 + j, frozenset({j % 4})) for j in range(40)]
    conflicts = {(i, 10_000 + (i % 40)) for i in range(0, 1000, 7)}
    started = time.perf_counter()
    plan = plan_assignment(entries=entries, jurors=jurors, k=3, conflicts=conflicts, seed=6)
    assert time.perf_counter() - started < 3
    loads = _check(plan, entries, 3, conflicts)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert is_connected(plan.add)
