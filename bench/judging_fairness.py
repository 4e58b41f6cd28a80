# ruff: noqa: RUF001, RUF002, RUF003 -- maths notation (×, σ, τ) in output and docstrings
"""Which aggregation method ranks entries closest to their true quality?

Simulation on the real assignment graph (``judging.services.assignment.plan_assignment``):
600 entries, 30 jurors, k = 3. True quality f ~ N(50, 15); juror leniency b ~ N(0, σ_b);
noise ε ~ N(0, 8); a review's score y = clip(f + b + ε, 0, 100). For every method in
``judging.services.aggregation`` it reports Kendall's τ between true and estimated scores and
the recall of the true top 10 in the estimated top 10, averaged over replications.

    .venv/bin/python bench/judging_fairness.py [--reps 20]

The last line names the spreadsheet-checkable method that keeps τ best when jurors are
biased — the product's default for new rounds (docs/judging.md, "Default") — next to the
product's actual default, so the two can be seen to agree; the line above names the most
accurate method overall.
"""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from judging.enums import DEFAULT_METHOD
from judging.services.aggregation import METHODS, ReviewScore, aggregate
from judging.services.assignment import EntryNode, JurorNode, plan_assignment

ENTRIES, JURORS, K, NOISE = 600, 30, 3, 8.0
#: Methods whose ranking staff can recompute from scores.csv with spreadsheet formulas.
SPREADSHEET_CHECKABLE = ("mean", "normalised", "trimmed")


def kendall_tau(truth, estimate):
    """τ-a between two score lists without ties, in O(n log n) (merge-sort inversions)."""
    order = sorted(range(len(truth)), key=lambda i: truth[i])
    sequence = [estimate[i] for i in order]

    def sort_count(values):
        if len(values) < 2:
            return values, 0
        mid = len(values) // 2
        left, a = sort_count(values[:mid])
        right, b = sort_count(values[mid:])
        merged, inversions, i, j = [], a + b, 0, 0
        while i < len(left) and j < len(right):
            if left[i] <= right[j]:
                merged.append(left[i])
                i += 1
            else:
                merged.append(right[j])
                inversions += len(left) - i
                j += 1
        merged += left[i:] + right[j:]
        return merged, inversions

    _, inversions = sort_count(sequence)
    pairs = len(truth) * (len(truth) - 1) / 2
    return 1 - 2 * inversions / pairs


def replicate(sigma_b, seed):
    rng = random.Random(seed)  # noqa: S311 -- simulation
    quality = {e: rng.gauss(50, 15) for e in range(ENTRIES)}
    bias = {j: rng.gauss(0, sigma_b) for j in range(JURORS)}
    plan = plan_assignment(
        entries=[EntryNode(e) for e in range(ENTRIES)],
        jurors=[JurorNode(j) for j in range(JURORS)],
        k=K,
        seed=seed,
    )
    reviews = [
        ReviewScore(e, j, min(100.0, max(0.0, quality[e] + bias[j] + rng.gauss(0, NOISE))))
        for e, j in plan.add
    ]
    truth = [quality[e] for e in range(ENTRIES)]
    true_top = set(sorted(range(ENTRIES), key=lambda e: -quality[e])[:10])
    results = {}
    for method in METHODS:
        rows = aggregate(reviews, method=method, expected=K, entries=dict.fromkeys(quality))
        score = {r.entry_id: r.score + r.entry_id * 1e-9 for r in rows}  # no exact ties
        estimate = [score[e] for e in range(ENTRIES)]
        top = {r.entry_id for r in rows[:10]}
        results[method] = (kendall_tau(truth, estimate), len(top & true_top) / 10)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--sigmas", default="0,5,10")
    args = parser.parse_args()
    sigmas = [float(s) for s in args.sigmas.split(",")]
    table = {}
    print(f"{ENTRIES} entries, {JURORS} jurors, k={K}, noise SD {NOISE}, {args.reps} replications")
    print(f"{'σ_b':>5} {'method':<11} {'Kendall τ':>10} {'top-10 recall':>14}")
    for sigma in sigmas:
        runs = [replicate(sigma, seed) for seed in range(args.reps)]
        for method in METHODS:
            tau = statistics.mean(r[method][0] for r in runs)
            recall = statistics.mean(r[method][1] for r in runs)
            table[sigma, method] = (tau, recall)
            print(f"{sigma:>5.1f} {method:<11} {tau:>10.3f} {recall:>14.2f}")
    unbiased, biased = sigmas[0], sigmas[-1]
    # The product's default must be checkable in a spreadsheet from scores.csv (docs/judging.md,
    # "Default"): among those methods, the one that keeps τ best when jurors are biased.
    checkable = [m for m in METHODS if m in SPREADSHEET_CHECKABLE]
    best = max(checkable, key=lambda m: table[biased, m][0])
    accurate = max(METHODS, key=lambda m: table[biased, m][0])
    cost = table[unbiased, "mean"][0] - table[unbiased, best][0]
    gain = table[biased, best][0] - table[biased, "mean"][0]
    print(
        f"most accurate at σ_b={biased:g}: {accurate} (τ {table[biased, accurate][0]:.3f}); "
        f"it needs a linear solver, not a spreadsheet"
        if accurate not in SPREADSHEET_CHECKABLE
        else f"most accurate at σ_b={biased:g}: {accurate}"
    )
    print(
        f"default: {best} (the best spreadsheet-checkable method; product default "
        f"{DEFAULT_METHOD}; +{gain:.3f} τ over the mean at σ_b={biased:g}, "
        f"{cost:+.3f} τ below it at σ_b={unbiased:g})"
    )


if __name__ == "__main__":
    main()
