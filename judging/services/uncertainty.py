# ruff: noqa: RUF002, RUF003 -- maths notation (−, ×, ≥) in docstrings and comments
"""How sure a ranking is: intervals and the probability of being above a cut (docs/judging.md).

Pure functions over the plain rows of ``aggregation`` (no database), so that the staff page,
the export, the boundary action, the bench and the tests compute the same numbers.

**Bootstrap over reviews**, stratified by entry: one resample draws, for every entry, as many
reviews as it has, with replacement, from its own submitted reviews; the round's method then
ranks the resample exactly as it ranks the round (``aggregate``: for ``normalised`` and
``bias`` the jurors' means, spreads and leniencies are estimated again on the resample, so
their uncertainty is in the result too). Over ``RESAMPLES`` resamples an entry's interval is
the percentile interval of its score at ``LEVEL`` (nearest rank: the ⌊α/2·(B−1)⌋-th and
⌈(1−α/2)·(B−1)⌉-th of the sorted resampled scores) and its probability of being above the
cut the share of resamples in which the cut took it. The generator is ``random.Random(seed)``
(the round's id on the page and in the export): the same reviews and the same seed give the
same numbers on every machine.

Entries with fewer reviews than the round expects have no rank, so they are never above the
cut; must-pass failures are those of the round's own means (not resampled).
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .aggregation import RankedEntry, ReviewScore, aggregate

RESAMPLES = 200
LEVEL = 0.95
#: An entry is *uncertain* at the cut while its probability of being above lies strictly
#: between these two.
UNCERTAIN = (0.2, 0.8)
#: The probability at or beyond which a place counts as settled (above, or 1 − it below).
SETTLED = 0.95

TOP, TOP_PER_TRACK, THRESHOLD = "top", "top_per_track", "threshold"
RULES = (TOP, TOP_PER_TRACK, THRESHOLD)


@dataclass(frozen=True)
class Cut:
    """Where the ranking decides: the ``top`` N ranked entries, the top N of each track
    (``top_per_track``), or every ranked entry whose score (at the two decimals shown) is at
    least a ``threshold``."""

    rule: str
    value: float

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown cut rule {self.rule!r}")
        if self.rule != THRESHOLD and (self.value < 1 or self.value != int(self.value)):
            raise ValueError("a top-N cut needs a whole N of at least 1")

    def above(self, rows: list[RankedEntry], tracks: Mapping[int, object]) -> set[int]:
        """The entries of ``rows`` (in rank order) that this cut takes."""
        ranked = [r for r in rows if r.rank is not None]
        if self.rule == TOP:
            return {r.entry_id for r in ranked[: int(self.value)]}
        if self.rule == TOP_PER_TRACK:
            taken, per_track = set(), defaultdict(int)
            for r in ranked:
                track = tracks.get(r.entry_id)
                if per_track[track] < int(self.value):
                    per_track[track] += 1
                    taken.add(r.entry_id)
            return taken
        return {r.entry_id for r in ranked if round(r.score, 2) >= round(self.value, 2)}


@dataclass(frozen=True)
class Certainty:
    """One entry: its score's interval at ``LEVEL``, its probability of being above the
    cut, and whether the round's own ranking puts it above."""

    entry_id: int
    low: float | None
    high: float | None
    p_above: float
    above: bool

    @property
    def uncertain(self):
        return UNCERTAIN[0] < self.p_above < UNCERTAIN[1]


def _percentile(values, q, *, up):
    position = q * (len(values) - 1)
    return values[math.ceil(position) if up else math.floor(position)]


def certainty(
    reviews: list[ReviewScore],
    *,
    method: str,
    expected: int,
    entries: Mapping[int, object],
    cut: Cut | None,
    tracks: Mapping[int, object] | None = None,
    disagreement: float = 30.0,
    must_pass_failed=(),
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[int, Certainty]:
    """``Certainty`` of every entry in ``entries`` (id → submission time, as ``aggregate``)
    under ``method`` and ``cut`` (``None``: intervals only, nobody above); ``tracks`` maps
    entry ids to their track for per-track cuts. Deterministic for a given ``seed``."""
    tracks = tracks or {}
    failed = tuple(must_pass_failed)

    def rank(sample):
        return aggregate(
            sample,
            method=method,
            expected=expected,
            entries=entries,
            disagreement=disagreement,
            must_pass_failed=failed,
        )

    reviews = [r for r in reviews if r.entry_id in entries]
    by_entry = defaultdict(list)
    for r in sorted(reviews, key=lambda r: (r.entry_id, r.juror_id, r.score)):
        by_entry[r.entry_id].append(r)

    def above(rows):
        return cut.above(rows, tracks) if cut is not None else set()

    observed = above(rank(reviews))
    rng = random.Random(seed)  # noqa: S311 -- a reproducible resample, not a secret
    scores = defaultdict(list)
    taken = defaultdict(int)
    groups = [by_entry[e] for e in sorted(by_entry)]
    for _ in range(resamples):
        sample = [r for group in groups for r in rng.choices(group, k=len(group))]
        rows = rank(sample)
        for row in rows:
            if row.score is not None:
                scores[row.entry_id].append(row.score)
        for entry_id in above(rows):
            taken[entry_id] += 1
    alpha = 1 - LEVEL
    found = {}
    for entry_id in entries:
        values = sorted(scores.get(entry_id, ()))
        low = _percentile(values, alpha / 2, up=False) if values else None
        high = _percentile(values, 1 - alpha / 2, up=True) if values else None
        found[entry_id] = Certainty(
            entry_id=entry_id,
            low=low,
            high=high,
            p_above=taken[entry_id] / resamples if resamples else float(entry_id in observed),
            above=entry_id in observed,
        )
    return found


@dataclass(frozen=True)
class Boundary:
    """The places of a ranking as the cut sees them: the first ``settled_above`` ranked
    entries are above with probability ≥ ``SETTLED``; places ``undecided`` (first, last),
    or ``None``, are neither settled above nor settled below."""

    settled_above: int
    undecided: tuple[int, int] | None
    ranked: int


def boundary(rows: list[RankedEntry], found: Mapping[int, Certainty]) -> Boundary:
    """Read off ``rows`` (in rank order) and their ``certainty``."""
    ranked = [r for r in rows if r.rank is not None]
    settled = 0
    for r in ranked:
        if found[r.entry_id].p_above < SETTLED:
            break
        settled += 1
    open_places = [r.rank for r in ranked[settled:] if found[r.entry_id].p_above > 1 - SETTLED]
    undecided = (settled + 1, max(open_places)) if open_places else None
    return Boundary(settled_above=settled, undecided=undecided, ranked=len(ranked))


def margins(rows: list[RankedEntry], found: Mapping[int, Certainty]) -> list[tuple[int, int]]:
    """Runs of consecutive places whose intervals overlap their neighbour's: places the
    jury's scores do not tell apart (``[(4, 6)]``: places 4 to 6). Single places are left
    out."""
    ranked = [r for r in rows if r.rank is not None and found[r.entry_id].low is not None]
    runs, start = [], None
    for before, after in itertools.pairwise(ranked):
        overlap = found[after.entry_id].high >= found[before.entry_id].low
        if overlap and start is None:
            start = before.rank
        if not overlap and start is not None:
            runs.append((start, before.rank))
            start = None
    if start is not None:
        runs.append((start, ranked[-1].rank))
    return runs


def plan_extra_reviews(
    found: Mapping[int, Certainty],
    *,
    budget: int,
    reviews_done: Mapping[int, int],
    candidates: Mapping[int, list[int]],
    capacity: Mapping[int, int],
) -> dict[int, list[int]]:
    """Where ``budget`` extra reviews change the outcome most: entry id → the jurors to add.

    Greedy on how open the outcome is: each next review goes to the entry with the largest
    ``p(1 − p) / √(n + 1)`` (``n`` its reviews so far, counting those planned) — the
    Bernoulli variance of its side of the cut, scaled like the standard error of its mean,
    so that the most open entries get several reviews before the merely doubtful get one
    (``bench/judging_boundary.py`` compares the choices); the juror is the candidate of that
    entry (``candidates``: not conflicted, not already reviewing it) with the most capacity
    left (``capacity``: extra reviews a juror may still take), then the lower id. Entries
    with ``p`` of 0 or 1 get none. Stops early when no entry has a juror left.
    """
    planned = defaultdict(list)
    left = dict(capacity)
    counts = {e: reviews_done.get(e, 0) for e in found}
    for _ in range(max(0, budget)):
        best, best_value = None, 0.0
        for entry_id, c in sorted(found.items()):
            p = c.p_above
            value = p * (1 - p) / (counts[entry_id] + 1) ** 0.5
            if value <= best_value:
                continue
            free = [
                j
                for j in candidates.get(entry_id, ())
                if left.get(j, 0) > 0 and j not in planned[entry_id]
            ]
            if free:
                best, best_value = (entry_id, free), value
        if best is None:
            break
        entry_id, free = best
        juror = min(free, key=lambda j: (-left[j], j))
        planned[entry_id].append(juror)
        left[juror] -= 1
        counts[entry_id] += 1
    return {e: jurors for e, jurors in planned.items() if jurors}
