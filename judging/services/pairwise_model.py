"""The ranking models of a pairwise round (docs/judging.md, "Pairwise expo judging").

Pure functions, no database: the round's services and ``bench/pairwise_fairness.py`` use
the same code.

**Crowd-BT** (Chen, Bennett, Collins-Thompson, Horvitz, *Pairwise ranking aggregation in
a crowdsourced setting*, WSDM 2013). Each project ``i`` has a Gaussian belief about its
strength ``s_i ~ N(mu_i, sigma2_i)``; each judge ``k`` has a Beta belief about the
probability ``eta_k ~ Beta(alpha_k, beta_k)`` that they answer as the Bradley–Terry model
says (and the opposite otherwise). One answer "``w`` was better than ``l``" updates the
four beliefs at once by moment matching (``update``); a round's state is the answers
replayed in the order they came (``replay``). The next project to send a judge to is the
one whose answer is expected to move the beliefs most (``information_gain``).

**Bradley–Terry by maximum a posteriori** with ``choix.opt_pairwise`` (a Gaussian prior of
precision ``alpha`` keeps projects with no loss or no win finite), and its Laplace
uncertainty: the inverse of the Hessian of the penalised negative log-likelihood at the
optimum (``bradley_terry``). It ignores judges' reliability; staff see it next to
Crowd-BT as a cross-check.
"""

import math
from dataclasses import dataclass

#: Priors (as in Gavel): every project starts at mu 0, variance 1; a judge is believed to
#: answer truthfully with probability alpha / (alpha + beta) = 10/11.
MU_PRIOR = 0.0
SIGMA2_PRIOR = 1.0
ALPHA_PRIOR = 10.0
BETA_PRIOR = 1.0
#: The variance never shrinks below this fraction of itself in one step.
KAPPA = 1e-4
#: Weight of the judge's belief in the information gain.
GAMMA = 0.1


@dataclass(frozen=True)
class Item:
    mu: float = MU_PRIOR
    sigma2: float = SIGMA2_PRIOR

    @property
    def sigma(self):
        return math.sqrt(self.sigma2)


@dataclass(frozen=True)
class Judge:
    alpha: float = ALPHA_PRIOR
    beta: float = BETA_PRIOR

    @property
    def reliability(self):
        """The expected probability that the judge answers as the model says."""
        return self.alpha / (self.alpha + self.beta)


def _judge_after(judge, winner, loser):
    """The judge's Beta belief after saying ``winner`` beat ``loser`` (moment matching)."""
    a, b = judge.alpha, judge.beta
    ew, el = math.exp(winner.mu), math.exp(loser.mu)
    total = ew + el
    # The probability, under the items' beliefs, that the winner really is stronger
    # (a second-order expansion of E[e^sw / (e^sw + e^sl)]).
    c1 = ew / total + 0.5 * (winner.sigma2 + loser.sigma2) * ew * el * (el - ew) / total**3
    c2 = 1.0 - c1
    norm = (c1 * a + c2 * b) / (a + b)
    first = (c1 * (a + 1) * a + c2 * a * b) / (norm * (a + b + 1) * (a + b))
    second = (c1 * (a + 2) * (a + 1) * a + c2 * (a + 1) * a * b) / (
        norm * (a + b + 2) * (a + b + 1) * (a + b)
    )
    variance = second - first**2
    if variance <= 0:  # numerically degenerate: keep the belief
        return judge
    spread = first - second
    return Judge(alpha=first * spread / variance, beta=(1 - first) * spread / variance)


def _items_after(judge, winner, loser):
    a, b = judge.alpha, judge.beta
    ew, el = math.exp(winner.mu), math.exp(loser.mu)
    total = ew + el
    weighted = a * ew + b * el
    step = a * ew / weighted - ew / total
    shrink = a * ew * b * el / weighted**2 - ew * el / total**2

    def variance(item):
        return item.sigma2 * max(1 + item.sigma2 * shrink, KAPPA)

    return (
        Item(winner.mu + winner.sigma2 * step, variance(winner)),
        Item(loser.mu - loser.sigma2 * step, variance(loser)),
    )


def update(judge, winner, loser):
    """``(judge, winner, loser)`` after the judge said ``winner`` was better than ``loser``.
    Every new belief is computed from the old ones."""
    return (_judge_after(judge, winner, loser), *_items_after(judge, winner, loser))


def replay(answers, items=(), judges=()):
    """Crowd-BT beliefs after ``answers`` — ``(judge_key, winner_key, loser_key)`` in the
    order given — starting from the priors. Returns ``(items, judges)``: dicts of
    ``Item`` and ``Judge`` by key; the keys in ``items``/``judges`` start at the prior."""
    item_state = {key: Item() for key in items}
    judge_state = {key: Judge() for key in judges}
    for judge_key, winner_key, loser_key in answers:
        judge = judge_state.get(judge_key, Judge())
        winner = item_state.get(winner_key, Item())
        loser = item_state.get(loser_key, Item())
        judge_state[judge_key], item_state[winner_key], item_state[loser_key] = update(
            judge, winner, loser
        )
    return item_state, judge_state


def _kl_normal(new, old):
    return 0.5 * (
        math.log(old.sigma2 / new.sigma2) + (new.sigma2 + (new.mu - old.mu) ** 2) / old.sigma2 - 1
    )


def _kl_beta(new, old):
    from scipy.special import betaln, digamma

    a1, b1, a2, b2 = new.alpha, new.beta, old.alpha, old.beta
    return (
        betaln(a2, b2)
        - betaln(a1, b1)
        + (a1 - a2) * digamma(a1)
        + (b1 - b2) * digamma(b1)
        + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
    )


def information_gain(judge, previous, candidate):
    """How much the judge's answer about ``previous`` against ``candidate`` is expected to
    move the beliefs: the Kullback–Leibler divergence of the updated beliefs from the
    current ones, averaged over the two answers by how likely the judge is to give each."""
    ep, ec = math.exp(previous.mu), math.exp(candidate.mu)
    p_model = ep / (ep + ec)
    p_says = (judge.alpha * p_model + judge.beta * (1 - p_model)) / (judge.alpha + judge.beta)
    total = 0.0
    for probability, winner, loser in (
        (p_says, previous, candidate),
        (1 - p_says, candidate, previous),
    ):
        new_judge, new_winner, new_loser = update(judge, winner, loser)
        gain = _kl_normal(new_winner, winner) + _kl_normal(new_loser, loser)
        gain += GAMMA * _kl_beta(new_judge, judge)
        total += probability * gain
    return total


def pick(candidates, *, judge, previous, items, counts, skipped=(), busy=(), order=None):
    """The candidate to send a judge to next (``None`` when there is none).

    Not skipped before, then not at a table another judge is walking to, then the fewest
    comparisons; among those the largest expected information gain against ``previous``
    (an ``Item``; ``None`` for a first table: the most uncertain standing). Ties go to
    ``order[candidate]`` (the table number), else the candidate itself.
    """
    if not candidates:
        return None

    def informative(key):
        item = items.get(key, Item())
        if previous is None:
            return item.sigma2
        return information_gain(judge, previous, item)

    return min(
        candidates,
        key=lambda key: (
            key in skipped,
            key in busy,
            counts.get(key, 0),
            -informative(key),
            order[key] if order is not None else key,
        ),
    )


def bradley_terry(n_items, pairs, *, alpha=0.1):
    """Bradley–Terry strengths of ``n_items`` items from ``pairs`` ``(winner, loser)``
    (indices), by ``choix.opt_pairwise`` with an L2 penalty ``alpha``, and each strength's
    Laplace standard deviation. Returns ``(strengths, sds)`` as lists of floats."""
    import choix
    import numpy as np

    if n_items == 0:
        return [], []
    if not pairs:
        return [0.0] * n_items, [1 / math.sqrt(alpha)] * n_items
    theta = choix.opt_pairwise(n_items, pairs, alpha=alpha)
    hessian = alpha * np.eye(n_items)
    for winner, loser in pairs:
        p = 1 / (1 + math.exp(theta[loser] - theta[winner]))
        w = p * (1 - p)
        hessian[winner, winner] += w
        hessian[loser, loser] += w
        hessian[winner, loser] -= w
        hessian[loser, winner] -= w
    covariance = np.linalg.inv(hessian)
    return [float(t) for t in theta], [float(math.sqrt(max(v, 0))) for v in np.diag(covariance)]


def kendall_tau(first, second):
    """Kendall's tau-b between two score lists of the same items (``None`` under 2)."""
    from scipy.stats import kendalltau

    if len(first) < 2:
        return None
    tau = kendalltau(first, second).statistic
    return None if math.isnan(tau) else float(tau)
