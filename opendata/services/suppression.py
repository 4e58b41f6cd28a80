"""Small-cell suppression for published counts: the one rule every open-data table obeys.

A *table* is one breakdown of a population (people by region, entries by status, …): its
cells and their total, the sum of the cells. :func:`suppress` decides which numbers to
withhold; :func:`suppress_together` does it for several breakdowns of the same population,
which share one total.

The rule (docs/opendata.md quotes it):

1. **Primary.** A cell counting at least one and fewer than ``threshold`` is withheld.
   Zeros are published: a zero names nobody.
2. **Small totals.** A total below ``threshold`` is withheld (and with it every non-zero
   cell, by rule 1).
3. **Secondary.** A withheld cell must not be recoverable by subtraction from the
   published total and the published cells. A reader knows the sum ``D`` of the ``k``
   withheld cells (the total minus the published cells) and that each is at least one
   (zeros are shown), so a withheld cell is exposed when ``k == 1``, when ``D == k`` (all
   ones) or, when every withheld cell is a primary one (each below ``threshold``), when
   ``D == k * (threshold - 1)`` (all at the ceiling). While that is so, the smallest
   published non-zero cell is withheld too (the first such in table order on a tie);
   when none is left, the total is withheld.
4. **Shared totals.** Breakdowns of the same population (people by region, by gender, by
   age group) share their total. A withheld total only ever comes with every non-zero
   cell of its table withheld too; so when one breakdown has to withhold it, every
   breakdown of the population withholds its total and its non-zero cells (else the
   cells of one table would add up to the total another table withholds).

Pure functions over ints: no database, no Django.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Suppressed:
    """What may be published: each cell's count or ``None`` (withheld), and the total or
    ``None``."""

    cells: tuple
    total: int | None

    @property
    def withheld(self):
        return tuple(i for i, cell in enumerate(self.cells) if cell is None)


def _exposed(counts, hidden, primary, threshold):
    k = len(hidden)
    d = sum(counts[i] for i in hidden)
    if k == 1 or d == k:
        return True
    return hidden <= primary and d == k * (threshold - 1)


def suppress(counts, *, threshold):
    """The publishable form of ``counts`` (non-negative ints, in table order) whose total
    is their sum, under the rule of this module."""
    counts = [int(c) for c in counts]
    if any(c < 0 for c in counts):
        raise ValueError("Counts are never negative.")
    if threshold < 1:
        raise ValueError("The threshold is at least one.")
    total = sum(counts)
    primary = {i for i, c in enumerate(counts) if 0 < c < threshold}
    hidden = set(primary)
    total_hidden = 0 < total < threshold
    while not total_hidden and hidden and _exposed(counts, hidden, primary, threshold):
        left = [i for i, c in enumerate(counts) if i not in hidden and c > 0]
        if not left:
            total_hidden = True
            break
        hidden.add(min(left, key=lambda i: (counts[i], i)))
    return Suppressed(
        cells=tuple(None if i in hidden else c for i, c in enumerate(counts)),
        total=None if total_hidden else total,
    )


def suppress_together(tables, *, threshold):
    """:func:`suppress` for breakdowns of one population (lists of counts with the same
    sum): one withheld total withholds them all."""
    tables = [list(t) for t in tables]
    if len({sum(t) for t in tables}) > 1:
        raise ValueError("Breakdowns of one population have one total.")
    done = [suppress(t, threshold=threshold) for t in tables]
    if any(s.total is None for s in done):
        done = [Suppressed(tuple(0 if c == 0 else None for c in t), None) for t in tables]
    return done
