# ruff: noqa: RUF001, RUF002, RUF003 -- maths notation (σ, τ, ≥) in output and docstrings
"""Does pairwise expo judging rank projects as well as a scored round of the same time?

Simulation: 60 projects of true quality q ~ N(0, 1); 15 judges, 3 of them careless; each
judge makes 8–12 comparisons (one more visit than comparisons). A careful judge sees a
project as q + ε, ε ~ N(0, σ) (σ = 8/15, the scored bench's noise on its 15-point quality
scale), and says the one that looked better was better; a careless one answers at random.
The judges walk the tables as the product sends them (``pairwise_model.pick``: fewest
comparisons, then the largest expected information gain) and the ranking is the Crowd-BT
mean (``pairwise_model.replay``) — the same functions as the product.

The scored round has the same judging time: every judge scores as many projects as they
visited in the pairwise round, the least-reviewed projects first (as the assignment
balances them), on bench/judging_fairness.py's model: y = clip(50 + 15 q + b + ε, 0, 100),
leniency b ~ N(0, σ_b), ε ~ N(0, 8), careless judges score uniformly at random; ranked by
the product's default method (``judging.enums.DEFAULT_METHOD``).

It prints Kendall τ and top-5 recall of both against the truth, and how many comparisons
per judge the pairwise round needs for τ ≥ 0.8 on average. The last line is the headline:
``ratio: pairwise τ / scored τ`` at the same judging time.

    .venv/bin/python bench/pairwise_fairness.py [--reps 20] [--bias 10]
"""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from bench.judging_fairness import kendall_tau
from judging.enums import DEFAULT_METHOD
from judging.services import pairwise_model
from judging.services.aggregation import ReviewScore, aggregate

PROJECTS, JUDGES, CARELESS = 60, 15, 3
NOISE = 8.0 / 15.0
TOP = 5


def _recall(quality, estimate):
    true_top = set(sorted(quality, key=lambda p: -quality[p])[:TOP])
    top = set(sorted(estimate, key=lambda p: -estimate[p])[:TOP])
    return len(top & true_top) / TOP


def _tau(quality, estimate):
    keys = sorted(quality)
    # A vanishing tie-break so equal estimates do not count as agreement.
    return kendall_tau([quality[k] for k in keys], [estimate[k] + k * 1e-12 for k in keys])


def pairwise_round(quality, budgets, careless, rng):
    """The Crowd-BT means after every judge walked ``budgets[j]`` comparisons. Judges walk
    in turns, one table at a time, as in a room (the round's beliefs move between steps)."""
    answers = []
    items, judges = {}, {}
    counts = {}
    seen = {j: [] for j in budgets}
    busy = {}
    active = [j for j in budgets if budgets[j] > 0]
    while active:
        for j in list(active):
            visited = set(seen[j])
            previous = seen[j][-1] if seen[j] else None
            candidates = [p for p in quality if p not in visited]
            target = pairwise_model.pick(
                candidates,
                judge=judges.get(j, pairwise_model.Judge()),
                previous=items.get(previous, pairwise_model.Item())
                if previous is not None
                else None,
                items=items,
                counts=counts,
                busy={b for k, b in busy.items() if k != j},
            )
            if target is None:
                active.remove(j)
                continue
            busy[j] = target
            seen[j].append(target)
            if previous is not None:
                if j in careless:
                    a_better = rng.random() < 0.5
                else:
                    a_better = quality[previous] + rng.gauss(0, NOISE) > quality[
                        target
                    ] + rng.gauss(0, NOISE)
                winner, loser = (previous, target) if a_better else (target, previous)
                answers.append((j, winner, loser))
                judges[j], items[winner], items[loser] = pairwise_model.update(
                    judges.get(j, pairwise_model.Judge()),
                    items.get(winner, pairwise_model.Item()),
                    items.get(loser, pairwise_model.Item()),
                )
                counts[winner] = counts.get(winner, 0) + 1
                counts[loser] = counts.get(loser, 0) + 1
            if len(seen[j]) > budgets[j]:
                active.remove(j)
                busy.pop(j, None)
    return {p: items.get(p, pairwise_model.Item()).mu for p in quality}, len(answers)


def scored_round(quality, visits, careless, sigma_b, rng):
    """The default method's scores when judge ``j`` scores ``visits[j]`` projects."""
    bias = {j: rng.gauss(0, sigma_b) for j in visits}
    reviewed = dict.fromkeys(quality, 0)
    reviews = []
    order = list(quality)
    rng.shuffle(order)
    for j, n in visits.items():
        chosen = sorted(order, key=lambda p: reviewed[p])[:n]
        for p in chosen:
            reviewed[p] += 1
            if j in careless:
                score = rng.uniform(0, 100)
            else:
                score = 50 + 15 * quality[p] + bias[j] + rng.gauss(0, 8)
            reviews.append(ReviewScore(p, j, min(100.0, max(0.0, score))))
    expected = max(1, round(len(reviews) / len(quality)))
    rows = aggregate(
        reviews, method=DEFAULT_METHOD, expected=expected, entries=dict.fromkeys(quality)
    )
    return {r.entry_id: (r.score if r.score is not None else -1.0) for r in rows}


def replicate(seed, sigma_b, per_judge=None):
    rng = random.Random(seed)  # noqa: S311 -- simulation
    quality = {p: rng.gauss(0, 1) for p in range(PROJECTS)}
    judges = list(range(JUDGES))
    careless = set(rng.sample(judges, CARELESS))
    budgets = {j: per_judge or rng.randint(8, 12) for j in judges}
    estimate, made = pairwise_round(quality, budgets, careless, rng)
    result = {"pairwise": (_tau(quality, estimate), _recall(quality, estimate)), "made": made}
    scores = scored_round(quality, {j: b + 1 for j, b in budgets.items()}, careless, sigma_b, rng)
    result["scored"] = (_tau(quality, scores), _recall(quality, scores))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--bias", type=float, default=10.0, help="σ_b of the scored round")
    parser.add_argument(
        "--ladder",
        default="10,20,30,40,60,80",
        help="comparisons per judge tried for τ ≥ 0.8 (comma-separated)",
    )
    args = parser.parse_args()

    runs = [replicate(seed, args.bias) for seed in range(args.reps)]
    made = statistics.mean(r["made"] for r in runs)
    taus = {}
    print(
        f"{PROJECTS} projects, {JUDGES} judges ({CARELESS} careless), 8–12 comparisons each "
        f"(≈{made:.0f} in all); {args.reps} replications; scored round σ_b = {args.bias:g}, "
        f"method {DEFAULT_METHOD}"
    )
    print(f"{'round':<10} {'Kendall τ':>10} {'top-5 recall':>13}")
    for kind in ("pairwise", "scored"):
        tau = statistics.mean(r[kind][0] for r in runs)
        recall = statistics.mean(r[kind][1] for r in runs)
        taus[kind] = tau
        print(f"{kind:<10} {tau:>10.3f} {recall:>13.2f}")

    needed = None
    for per_judge in (int(n) for n in args.ladder.split(",")):
        ladder_runs = [replicate(1000 + seed, args.bias, per_judge) for seed in range(args.reps)]
        tau = statistics.mean(r["pairwise"][0] for r in ladder_runs)
        total = statistics.mean(r["made"] for r in ladder_runs)
        print(f"  {per_judge:>3} comparisons per judge (≈{total:.0f} in all): τ = {tau:.3f}")
        if tau >= 0.8:
            needed = (per_judge, total)
            break
    if needed:
        print(
            f"τ ≥ 0.8 needs about {needed[0]} comparisons per judge "
            f"(≈{needed[1]:.0f} in all, {2 * needed[1] / PROJECTS:.1f} per project)"
        )
    else:
        print("τ ≥ 0.8 was not reached on the ladder")
    print(
        f"ratio: {taus['pairwise'] / taus['scored']:.2f} (pairwise Crowd-BT τ / scored-round "
        f"τ at the same judging time; τ {taus['pairwise']:.2f} vs {taus['scored']:.2f})"
    )


if __name__ == "__main__":
    main()
