# ruff: noqa: RUF002, RUF003 -- maths notation (−, ×, α, Σ) in docstrings and comments
"""Automatic assignment of entries to jurors, as a pure function over plain data.

Rules, in priority order: a conflicted juror is never assigned; every entry gets ``k``
jurors where enough unconflicted jurors exist; jurors' loads stay within one of each other
where the conflicts allow (max − min ≤ 1); an expert in the entry's track is preferred over
a juror with one review less; remaining ties are broken at random (seeded), which also keeps
the juror–entry graph connected in practice so that juror leniency can be estimated.
Existing pairs are kept; with ``movable`` pairs (assigned but not started) the balance step
may move them to less loaded jurors, so a re-run for new jurors never touches started or
finished reviews.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntryNode:
    id: int
    track_id: int | None = None


@dataclass(frozen=True)
class JurorNode:
    id: int
    expertise: frozenset = frozenset()


@dataclass
class Plan:
    add: list[tuple[int, int]] = field(default_factory=list)  # (entry, juror)
    remove: list[tuple[int, int]] = field(default_factory=list)
    short: dict[int, int] = field(default_factory=dict)  # entry → jurors still missing
    load: dict[int, int] = field(default_factory=dict)


def plan_assignment(
    *,
    entries: Iterable[EntryNode],
    jurors: Iterable[JurorNode],
    k: int,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
    movable: Iterable[tuple[int, int]] = (),
    seed: int = 0,
) -> Plan:
    """Plan which (entry, juror) pairs to add and remove. Pairs are ``(entry_id, juror_id)``."""
    rng = random.Random(seed)  # noqa: S311 -- shuffling for fairness, not secrecy
    entries = list(entries)
    jurors = list(jurors)
    blocked = set(conflicts)
    pairs = set(existing)
    movable = set(movable) & pairs
    on_entry = defaultdict(set)
    load = {j.id: 0 for j in jurors}
    for e, j in pairs:
        on_entry[e].add(j)
        if j in load:
            load[j] += 1
    expertise = {j.id: j.expertise for j in jurors}
    track = {e.id: e.track_id for e in entries}

    def allowed(e, j):
        return (e, j) not in blocked and j not in on_entry[e]

    # Most constrained entries first, so that the few jurors they can have are still free.
    free = {e.id: sum(1 for j in jurors if (e.id, j.id) not in blocked) for e in entries}
    # Tracks are interleaved so that each track's experts fill up at the same pace.
    shuffled = sorted(entries, key=lambda e: rng.random())
    position, seen = {}, defaultdict(int)
    for e in shuffled:
        position[e.id] = seen[e.track_id]
        seen[e.track_id] += 1
    order = sorted(shuffled, key=lambda e: (free[e.id], position[e.id]))
    plan = Plan()
    for entry in order:
        need = k - len(on_entry[entry.id])
        if need <= 0:
            continue
        candidates = [j for j in load if allowed(entry.id, j)]
        # An expert counts as one review less loaded: experts get their tracks while the
        # balance step below still brings the loads within one of each other.
        # Fresh random tie-breaks for every entry: fixed ones would make the same jurors
        # meet again and again, splitting the graph into cliques.
        candidates.sort(
            key=lambda j: (load[j] + (track[entry.id] not in expertise[j]), rng.random())
        )
        for j in candidates[:need]:
            on_entry[entry.id].add(j)
            load[j] += 1
            plan.add.append((entry.id, j))
            movable.add((entry.id, j))
        missing = need - min(need, len(candidates))
        if missing:
            plan.short[entry.id] = missing

    _balance(plan, load, on_entry, movable, allowed, expertise, track)
    plan.load = load
    return plan


def _balance(plan, load, on_entry, movable, allowed, expertise, track):
    """Move not-yet-started pairs from the most to the least loaded jurors until the loads
    differ by at most one, or no allowed move remains."""
    by_juror = defaultdict(set)
    for e, j in movable:
        by_juror[j].add(e)
    added = set(plan.add)
    for _ in range(len(movable) + 1):
        heavy = max(load, key=lambda j: (load[j], j), default=None)
        light = min(load, key=lambda j: (load[j], j), default=None)
        if heavy is None or load[heavy] - load[light] <= 1:
            break
        moved = False
        # Try the lightest jurors in turn, and any of the heavy juror's movable entries.
        for target in sorted(load, key=lambda j: (load[j], j)):
            if load[heavy] - load[target] <= 1:
                break
            for e in sorted(by_juror[heavy], key=lambda e: track[e] not in expertise[target]):
                if allowed(e, target):
                    _move(plan, added, on_entry, load, by_juror, e, heavy, target)
                    moved = True
                    break
            if moved:
                break
        if not moved:
            break


def _move(plan, added, on_entry, load, by_juror, entry, source, target):
    on_entry[entry].discard(source)
    on_entry[entry].add(target)
    load[source] -= 1
    load[target] += 1
    by_juror[source].discard(entry)
    by_juror[target].add(entry)
    if (entry, source) in added:
        added.discard((entry, source))
        plan.add.remove((entry, source))
    else:
        plan.remove.append((entry, source))
    added.add((entry, target))
    plan.add.append((entry, target))


def is_connected(pairs: Iterable[tuple[int, int]]) -> bool:
    """Whether the bipartite juror–entry graph of ``pairs`` is connected."""
    adjacency = defaultdict(set)
    for e, j in pairs:
        adjacency[("e", e)].add(("j", j))
        adjacency[("j", j)].add(("e", e))
    if not adjacency:
        return True
    start = next(iter(adjacency))
    seen, stack = {start}, [start]
    while stack:
        for other in adjacency[stack.pop()]:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return len(seen) == len(adjacency)


def loads(pairs: Iterable[tuple[int, int]], jurors: Iterable[int]) -> Mapping[int, int]:
    counts = dict.fromkeys(jurors, 0)
    for _, j in pairs:
        counts[j] = counts.get(j, 0) + 1
    return counts
