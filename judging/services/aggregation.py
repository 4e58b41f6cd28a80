# ruff: noqa: RUF002, RUF003 -- maths notation (−, ×, α, Σ) in docstrings and comments
"""The judging maths, as pure functions over plain data (documented in docs/judging.md).

* ``weighted_score``: one review on the 0–100 scale,
  ``Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100``. The database computes the same expression
  for rankings (``judging.selectors.review_scores``); this function is the reference.
* ``aggregate``: per entry, by one of the methods in ``judging.enums.Method``, then a
  deterministic order with tie-breaks and flags.
* ``krippendorff_alpha``: inter-rater reliability of a round (interval metric).
* ``juror_statistics``: each juror's mean and spread against the panel.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MEAN, NORMALISED, TRIMMED, BIAS = "mean", "normalised", "trimmed", "bias"
METHODS = (MEAN, NORMALISED, TRIMMED, BIAS)

#: A juror's SD at or below this (points of 100) counts as zero spread: equal scores can leave
#: a rounding-error SD such as 1e-17, which would otherwise blow up into z = ±1.
ZERO_SPREAD = 1e-6

#: Ridge penalty of the least-squares bias model, in "reviews": a juror's bias estimate is
#: shrunk towards 0 as if they had this many extra reviews with no bias.
BIAS_RIDGE = 1.0


@dataclass(frozen=True)
class ReviewScore:
    """One submitted review: its entry, its juror, its 0–100 score and, for tie-breaks,
    its 0–100 score on the round's highest-weight criterion."""

    entry_id: int
    juror_id: int
    score: float
    top: float = 0.0


@dataclass(slots=True)
class RankedEntry:
    entry_id: int
    score: float | None
    reviews_done: int
    reviews_expected: int
    rank: int | None = None
    top: float = 0.0
    variance: float = 0.0
    spread: float = 0.0
    flags: list[str] = field(default_factory=list)

    @property
    def display_score(self):
        return None if self.score is None else f"{self.score:.2f}"


def weighted_score(parts: Iterable[tuple[float, float, float, float]]) -> float:
    """``parts`` are ``(score, weight, scale_min, scale_max)``; returns 0–100."""
    total = weights = 0.0
    for value, weight, low, high in parts:
        if weight <= 0 or high <= low:
            raise ValueError("weights must be positive and scales increasing")
        total += weight * (value - low) / (high - low)
        weights += weight
    if weights == 0:
        raise ValueError("a review needs at least one criterion")
    return total / weights * 100


def _mean(values):
    return sum(values) / len(values)


def _pstdev(values):
    if len(values) < 2:
        return 0.0
    m = _mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def _clip(value):
    return min(100.0, max(0.0, value))


def adjusted_scores(reviews: list[ReviewScore], method: str) -> list[float]:
    """Each review's score as the method sees it (same order as ``reviews``).

    ``mean`` and ``trimmed`` use the raw score. ``normalised`` maps each juror's scores to
    z-scores over that juror's reviews, then back by the round's mean and spread:
    ``M + S·(y − m_j)/s_j``, clipped to 0–100; a juror with one review, or whose reviews are
    all equal (SD ≤ ``ZERO_SPREAD``), has no defined z-score and keeps the raw score (the
    documented fallback). ``bias`` removes
    the juror's estimated additive leniency ``b_j`` (see ``estimate_bias``).
    """
    if not reviews:
        return []
    raw = [r.score for r in reviews]
    if method in (MEAN, TRIMMED):
        return raw
    if method == NORMALISED:
        by_juror = defaultdict(list)
        for r in reviews:
            by_juror[r.juror_id].append(r.score)
        stats = {j: (_mean(v), _pstdev(v)) for j, v in by_juror.items()}
        panel_mean, panel_sd = _mean(raw), _pstdev(raw)
        out = []
        for r in reviews:
            m, s = stats[r.juror_id]
            if s <= ZERO_SPREAD:
                out.append(r.score)
            else:
                out.append(_clip(panel_mean + panel_sd * (r.score - m) / s))
        return out
    if method == BIAS:
        _, bias = estimate_bias(reviews)
        return [_clip(r.score - bias[r.juror_id]) for r in reviews]
    raise ValueError(f"unknown method {method!r}")


def estimate_bias(reviews: list[ReviewScore], ridge: float = BIAS_RIDGE):
    """Least squares for ``y_ij = f_i + b_j + ε`` with a ridge penalty ``λ Σ b_j²``.

    Eliminating ``f_i = mean_j(y_ij − b_j)`` leaves one linear equation per juror:
    ``(n_j + λ) b_j − Σ_{i∈j} (1/n_i) Σ_{j'∈i} b_j' = Σ_{i∈j} (y_ij − ȳ_i)``, a small
    symmetric positive-definite system (jurors × jurors) solved exactly by Gaussian
    elimination. The juror–entry graph must be connected for the biases to be comparable,
    which the assignment keeps; the ridge keeps the system solvable even when it is not.
    Returns ``(f, b)`` as dicts.
    """
    by_entry = defaultdict(list)
    jurors = {}
    for r in reviews:
        by_entry[r.entry_id].append(r)
        jurors.setdefault(r.juror_id, len(jurors))
    size = len(jurors)
    matrix = [[0.0] * size for _ in range(size)]
    rhs = [0.0] * size
    for j in range(size):
        matrix[j][j] = ridge
    for rs in by_entry.values():
        n = len(rs)
        mean = sum(r.score for r in rs) / n
        idx = [jurors[r.juror_id] for r in rs]
        for r, a in zip(rs, idx, strict=True):
            row = matrix[a]
            row[a] += 1.0
            rhs[a] += r.score - mean
            for b in idx:
                row[b] -= 1.0 / n
    solution = _solve(matrix, rhs)
    bias = {juror: solution[i] for juror, i in jurors.items()}
    quality = {
        entry: sum(r.score - bias[r.juror_id] for r in rs) / len(rs)
        for entry, rs in by_entry.items()
    }
    return quality, bias


def _solve(matrix, rhs):
    """Gaussian elimination with partial pivoting (the system is small and well posed)."""
    size = len(rhs)
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        rhs[col], rhs[pivot] = rhs[pivot], rhs[col]
        head = matrix[col]
        for r in range(col + 1, size):
            factor = matrix[r][col] / head[col]
            if factor:
                row = matrix[r]
                for c in range(col, size):
                    row[c] -= factor * head[c]
                rhs[r] -= factor * rhs[col]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        total = rhs[r] - sum(matrix[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = total / matrix[r][r]
    return solution


def aggregate(
    reviews: list[ReviewScore],
    *,
    method: str,
    expected: int,
    entries: Mapping[int, object],
    disagreement: float = 30.0,
    must_pass_failed: Iterable[int] = (),
) -> list[RankedEntry]:
    """Score, flag and order every entry in ``entries`` (id → submission time).

    Order (all deterministic): entries with at least ``expected`` reviews first, by score
    (compared at the two decimals shown) descending, then the higher mean on the
    highest-weight criterion, then the lower variance of the adjusted review scores, then
    the earlier submission time, then the lower id. Entries with fewer reviews are flagged
    ``incomplete``, get no rank and follow, in the same order.

    Only reviews of entries in ``entries`` count, in the per-juror and round statistics of
    ``normalised`` and ``bias`` too: an entry that left the competition after being reviewed
    (withdrawn, incubated …) is in neither export, so the ranking stays a function of exactly
    the rows of the scores CSV (docs/judging.md).
    """
    reviews = [r for r in reviews if r.entry_id in entries]
    adjusted = adjusted_scores(reviews, method)
    per_entry = defaultdict(list)
    top_sum = defaultdict(float)
    for r, value in zip(reviews, adjusted, strict=True):
        per_entry[r.entry_id].append(value)
        top_sum[r.entry_id] += r.top
    failed = set(must_pass_failed)
    trimmed = method == TRIMMED
    rows = []
    for entry_id in entries:
        values = per_entry.get(entry_id)
        n = len(values) if values else 0
        flags = []
        if n:
            mean = sum(values) / n
            scored = values
            if trimmed and n >= 4:
                scored = sorted(values)[1:-1]
            score = mean if scored is values else sum(scored) / len(scored)
            spread = max(values) - min(values)
            row = RankedEntry(
                entry_id,
                score,
                n,
                expected,
                None,
                top_sum[entry_id] / n,
                sum((v - mean) ** 2 for v in values) / n,
                spread,
                flags,
            )
        else:
            row = RankedEntry(entry_id, None, 0, expected, flags=flags)
        if n < expected:
            flags.append("incomplete")
        # Rounded: a spread of exactly the threshold must not flip with float noise (the
        # same spread recomputed from scores.csv in another order of operations).
        if round(row.spread, 6) > disagreement:
            flags.append("disagreement")
        if entry_id in failed:
            flags.append("must_pass")
        rows.append(row)

    def key(row):
        score = -round(row.score, 2) if row.score is not None else math.inf
        submitted = entries[row.entry_id]
        return (
            row.reviews_done < expected,
            score,
            -round(row.top, 6),
            round(row.variance, 6),
            submitted is None,
            submitted or 0,
            row.entry_id,
        )

    rows.sort(key=key)
    rank = 0
    for row in rows:
        if row.reviews_done >= expected and row.score is not None:
            rank += 1
            row.rank = rank
    return rows


def krippendorff_alpha(reviews: Iterable[ReviewScore]) -> float | None:
    """Krippendorff's alpha with the interval metric; entries are units, jurors coders.

    ``α = 1 − D_o / D_e`` with ``D_o = (1/n) Σ_u Σ_{c≠k∈u} (v_c − v_k)² / (m_u − 1)`` and
    ``D_e = Σ_{c≠k} (v_c − v_k)² / (n (n − 1))`` over all ``n`` pairable values (units with
    at least two reviews). ``None`` when it is undefined (fewer than two units or no spread).
    Uses ``Σ_{c≠k}(v_c − v_k)² = 2 (m Σv² − (Σv)²)`` to stay linear in the number of reviews.
    """
    units = defaultdict(list)
    for r in reviews:
        units[r.entry_id].append(r.score)
    pairable = [v for v in units.values() if len(v) >= 2]
    n = sum(len(v) for v in pairable)
    if len(pairable) < 2 or n < 2:
        return None

    def pair_sum(values):
        m = len(values)
        return 2 * (m * sum(x * x for x in values) - sum(values) ** 2)

    observed = sum(pair_sum(v) / (len(v) - 1) for v in pairable) / n
    everything = [x for v in pairable for x in v]
    expected = pair_sum(everything) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - observed / expected


@dataclass
class JurorStats:
    juror_id: int
    done: int
    mean: float | None
    sd: float | None
    low: float | None = None
    high: float | None = None
    outlier: bool = False


def juror_statistics(reviews: list[ReviewScore], threshold: float = 1.5):
    """Per juror: count, mean and spread of their scores; ``outlier`` when their mean is
    more than ``threshold`` SDs from the mean of the *other* jurors' means (leave-one-out,
    so one extreme juror cannot hide by inflating the SD; needs three other jurors).
    Returns ``(stats by juror id, panel mean, panel sd)``."""
    by_juror = defaultdict(list)
    for r in reviews:
        by_juror[r.juror_id].append(r.score)
    stats = {
        j: JurorStats(
            juror_id=j, done=len(v), mean=_mean(v), sd=_pstdev(v), low=min(v), high=max(v)
        )
        for j, v in by_juror.items()
    }
    means = {j: s.mean for j, s in stats.items()}
    for j, s in stats.items():
        others = [m for other, m in means.items() if other != j]
        if len(others) >= 3:
            sd = _pstdev(others)
            s.outlier = sd > 0 and abs(s.mean - _mean(others)) > threshold * sd
    raw = [r.score for r in reviews]
    return stats, (_mean(raw) if raw else None), (_pstdev(raw) if raw else None)
