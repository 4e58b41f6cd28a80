"""`make bench`: every bench at a small size, its headline checked against its goal.

Each bench runs as its own process (``python bench/NAME.py`` with small arguments), starts
what it needs itself and prints its headline as its last line: ``ratio: X (…)``. A ratio
that crosses its goal by more than ``MARGIN`` (the noise of a small run on a shared
2-core machine, see bench/README.md) fails the run; the table says which.

    .venv/bin/python bench/run_all.py [--only NAME ...]
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: How far past its goal a small run's ratio may land before it counts as a regression.
MARGIN = 0.25

# name: (arguments for a small run, goal, "max" if the ratio must stay at or below the goal
# or "min" if at or above it)
BENCHES = {
    "judging_boundary": (["--reps", "4"], 0.7, "max"),
    # pairwise τ / scored τ at the same judging time (docs/judging.md, "Pairwise expo judging")
    "pairwise_fairness": (["--reps", "3", "--ladder", "10,40"], 0.8, "min"),
    # PostgreSQL, as the full run: SQLite's in-process aggregate is a floor no deployment has.
    "judging": (["--entries", "2000"], 3.0, "max"),
    "uploads": (["--teams", "30"], 1.3, "max"),
    # 60, not fewer: with 30 the ratio of two means swung 1.19–1.71 between idle runs.
    "certificates": (["--count", "60", "--sqlite"], 1.2, "max"),
    "notifications": (["--count", "500", "--sqlite"], 0.7, "min"),
    "deadline": (["--small"], 3.0, "max"),
    "scale": (["--small"], 2.0, "max"),
}
# Further figures of a headline, each with its own goal: (pattern, goal, sense).
# Errors have no noise margin: one is one too many.
EXTRA = {
    "certificates": [(re.compile(r"speed-up with 2 worker processes: ([0-9.]+)x"), 1.7, "min")],
    "deadline": [(re.compile(r"errors: ([0-9]+)"), 0, "exact")],
}
RATIO = re.compile(r"^ratio: ([0-9.]+)")


def run(name, arguments):
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / f"{name}.py"), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    found = RATIO.match(last)
    value = float(found[1]) if found and done.returncode == 0 else None
    return value, last or done.stderr.strip().splitlines()[-1:], time.perf_counter() - started


def passes(value, goal, sense):
    if value is None:
        return False
    if sense == "exact":
        return value == goal
    if sense == "max":
        return value <= goal * (1 + MARGIN)
    return value >= goal * (1 - MARGIN)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    failed = []
    for name, (arguments, goal, sense) in BENCHES.items():
        if args.only and name not in args.only:
            continue
        value, last, seconds = run(name, arguments)
        ok = passes(value, goal, sense)
        for pattern, extra_goal, extra_sense in EXTRA.get(name, []):
            found = pattern.search(last) if isinstance(last, str) else None
            ok = ok and passes(float(found[1]) if found else None, extra_goal, extra_sense)
        bound = "≤" if sense == "max" else "≥"
        print(
            f"{'ok  ' if ok else 'FAIL'} {name:<17} {seconds:5.0f} s  goal {bound} {goal}: {last}"
        )
        if not ok:
            failed.append(name)
    print(f"{len(failed)} bench(es) past their goal by more than {MARGIN:.0%}: {failed or '—'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
