# ruff: noqa: RUF001, RUF002, RUF003 -- maths notation (×, σ) in output and docstrings
"""Do extra reviews at the cut decide better than the same number spread at random?

The model of ``bench/judging_fairness.py`` on the real assignment graph
(``plan_assignment``): true quality f ~ N(50, 15), juror leniency b ~ N(0, σ_b), noise
ε ~ N(0, 8), a review's score clip(f + b + ε, 0, 100); the round's default method ranks.
The cut is the top N. With the same budget of extra reviews, given in waves as reviews come
in, it compares

  (a) targeted — ``judging.services.uncertainty``: the seeded bootstrap, then
      ``plan_extra_reviews`` (the code behind "add reviews at the cut"),
  (b) random — the same number of extra reviews, to random entries, by random jurors who do
      not review them yet, within the same per-juror allowance,
  (c) none,

reporting the recall of the true top N and the number of entries on the wrong side of the
cut (true top N not taken, plus taken but not in it), averaged over replications.

    .venv/bin/python bench/judging_boundary.py [--reps 20]

Last line: ``ratio: X (misclassified at the cut with targeted extra reviews / with random
extra reviews)``; the goal is at most 0.7.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from judging.enums import DEFAULT_METHOD  # noqa: E402
from judging.services.aggregation import ReviewScore, aggregate  # noqa: E402
from judging.services.assignment import EntryNode, JurorNode, plan_assignment  # noqa: E402
from judging.services.uncertainty import Cut, certainty, plan_extra_reviews  # noqa: E402

ENTRIES, JURORS, K, NOISE, SIGMA_B = 200, 20, 3, 8.0, 5.0
TOP_N = 20
BUDGET, WAVES, PER_JUROR = 120, 4, 2  # per wave: BUDGET / WAVES reviews, PER_JUROR each


def _score(seed, entry, juror, quality, bias):
    """A review's score. Its noise is fixed by (replication, entry, juror): the strategies
    compared draw the same review when they ask the same juror about the same entry
    (common random numbers), so their difference is the choice of reviews, not luck."""
    noise = random.Random(seed * 1_000_003 + entry * 1_009 + juror).gauss(0, NOISE)  # noqa: S311
    return min(100.0, max(0.0, quality[entry] + bias[juror] + noise))


def _outcome(reviews, quality):
    rows = aggregate(reviews, method=DEFAULT_METHOD, expected=K, entries=dict.fromkeys(quality))
    taken = Cut("top", TOP_N).above(rows, {})
    truth = set(sorted(quality, key=lambda e: -quality[e])[:TOP_N])
    return len(taken & truth) / TOP_N, len(taken ^ truth)


def replicate(seed):
    rng = random.Random(seed)  # noqa: S311 -- simulation
    quality = {e: rng.gauss(50, 15) for e in range(ENTRIES)}
    bias = {j: rng.gauss(0, SIGMA_B) for j in range(JURORS)}
    plan = plan_assignment(
        entries=[EntryNode(e) for e in range(ENTRIES)],
        jurors=[JurorNode(j) for j in range(JURORS)],
        k=K,
        seed=seed,
    )
    base = [ReviewScore(e, j, _score(seed, e, j, quality, bias)) for e, j in plan.add]
    results = {"none": _outcome(base, quality)}

    # (a) targeted, wave by wave, with the code the staff action runs.
    targeted = list(base)
    for wave in range(WAVES):
        found = certainty(
            targeted,
            method=DEFAULT_METHOD,
            expected=K,
            entries=dict.fromkeys(quality),
            cut=Cut("top", TOP_N),
            seed=seed * 100 + wave,
        )
        reviewing = {(r.entry_id, r.juror_id) for r in targeted}
        counts = {}
        for r in targeted:
            counts[r.entry_id] = counts.get(r.entry_id, 0) + 1
        extra = plan_extra_reviews(
            found,
            budget=BUDGET // WAVES,
            reviews_done=counts,
            candidates={e: [j for j in range(JURORS) if (e, j) not in reviewing] for e in quality},
            capacity=dict.fromkeys(range(JURORS), PER_JUROR),
        )
        for e, jurors in extra.items():
            targeted += [ReviewScore(e, j, _score(seed, e, j, quality, bias)) for j in jurors]
    results["targeted"] = _outcome(targeted, quality)

    # (b) the same number of extra reviews, spread at random within the same allowance.
    spread = list(base)
    given = len(targeted) - len(base)
    pick = random.Random(seed + 2)  # noqa: S311 -- simulation
    reviewing = {(r.entry_id, r.juror_id) for r in spread}
    load = dict.fromkeys(range(JURORS), 0)
    while given:
        e, j = pick.randrange(ENTRIES), pick.randrange(JURORS)
        if (e, j) in reviewing or load[j] >= PER_JUROR * WAVES:
            continue
        reviewing.add((e, j))
        load[j] += 1
        spread.append(ReviewScore(e, j, _score(seed, e, j, quality, bias)))
        given -= 1
    results["random"] = _outcome(spread, quality)
    return results, len(targeted) - len(base)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    totals = {"none": [], "targeted": [], "random": []}
    extra = []
    for rep in range(args.reps):
        results, added = replicate(1000 + rep)
        extra.append(added)
        for name, value in results.items():
            totals[name].append(value)
    print(
        f"{ENTRIES} entries, {JURORS} jurors, k = {K}, σ_b = {SIGMA_B}, noise {NOISE}, "
        f"method {DEFAULT_METHOD}, cut: top {TOP_N}; {statistics.mean(extra):.0f} extra "
        f"reviews in {WAVES} waves; {args.reps} replications "
        f"({time.perf_counter() - started:.0f} s)"
    )
    for name in ("none", "random", "targeted"):
        recall = statistics.mean(v[0] for v in totals[name])
        wrong = statistics.mean(v[1] for v in totals[name])
        print(f"{name:<9} top-{TOP_N} recall {recall:.3f}, misclassified at the cut {wrong:.2f}")
    targeted = statistics.mean(v[1] for v in totals["targeted"])
    spread = statistics.mean(v[1] for v in totals["random"])
    print(
        f"ratio: {targeted / spread:.2f} "
        "(misclassified at the cut with targeted extra reviews / with random extra reviews)"
    )


if __name__ == "__main__":
    main()
