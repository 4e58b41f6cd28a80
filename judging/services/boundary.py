"""Where the ranking decides: the round's cut, and extra reviews where they change the outcome.

The numbers come from ``judging.selectors.certainty`` (a seeded bootstrap, see
``uncertainty``); the extra reviews go through ``assignments.add_assignments`` — the same
checks and notifications as a manual assignment (docs/judging.md, "How sure the ranking is").
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record

from .. import selectors
from ..enums import RoundStatus
from ..models import Juror, Review, Round
from . import JudgingError
from .assignments import add_assignments
from .jurors import conflicted_pairs
from .uncertainty import Cut, plan_extra_reviews

#: The most extra reviews one action may add, and one juror may take in it.
MAX_BUDGET = 500
MAX_PER_JUROR = 50


@transaction.atomic
def set_cut(*, round_, rule, value, show_margins, by):
    """Store where the round's ranking decides (``rule`` empty: nowhere) and whether the
    published results name the places within the margin. Side effects: audit
    ``judging.round.cut_set``."""
    require(by, "challenges.manage_challenge", round_.challenge)
    if rule:
        try:
            Cut(rule, float(value))
        except (TypeError, ValueError):
            raise JudgingError(
                _("A top-N cut needs a whole number of at least 1; a threshold, a score.")
            ) from None
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    locked.cut_rule = rule or ""
    locked.cut_value = value if rule else None
    locked.show_margins = bool(show_margins)
    locked.save(update_fields=["cut_rule", "cut_value", "show_margins"])
    for name in ("cut_rule", "cut_value", "show_margins"):
        setattr(round_, name, getattr(locked, name))
    record(
        action="judging.round.cut_set",
        obj=locked,
        by=by,
        rule=locked.cut_rule,
        value=str(locked.cut_value) if locked.cut_value is not None else "",
        show_margins=locked.show_margins,
    )
    return locked


@dataclass(frozen=True)
class Extra:
    """One entry's share of a boundary plan: its probability of being above the cut, its
    reviews so far, and the jurors it gets."""

    entry: object
    p_above: float
    reviews_done: int
    jurors: list


def plan_boundary_reviews(*, round_, budget, per_juror):
    """The extra reviews ``add_boundary_reviews`` would make now: ``[Extra]``, most
    uncertain entry first. Reads only; refused without a cut or for a locked round."""
    if round_.status in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("A locked round cannot be reassigned."))
    if selectors.cut_of(round_) is None:
        raise JudgingError(_("Say first where the ranking decides (the cut)."))
    if not 1 <= budget <= MAX_BUDGET or not 1 <= per_juror <= MAX_PER_JUROR:
        raise JudgingError(_("Give a number of extra reviews between 1 and 500."))
    rows, found = selectors.certainty(round_)
    jurors = list(selectors.scoring_jurors(round_.challenge_id).select_related("user"))
    scope = selectors.entries_in_scope(round_)
    blocked = conflicted_pairs(jurors=jurors, entries=scope)
    reviewing = set(Review.objects.filter(round=round_).values_list("submission_id", "juror_id"))
    ranked = {row.entry.id: row for row in rows}
    candidates = {
        entry_id: [
            j.id
            for j in jurors
            if (entry_id, j.id) not in blocked and (entry_id, j.id) not in reviewing
        ]
        for entry_id in ranked
    }
    planned = plan_extra_reviews(
        {e: c for e, c in found.items() if e in ranked and ranked[e].ranked.rank is not None},
        budget=budget,
        reviews_done={e: row.ranked.reviews_done for e, row in ranked.items()},
        candidates=candidates,
        capacity={j.id: per_juror for j in jurors},
    )
    by_id = {j.id: j for j in jurors}
    entries = {e.pk: e for e in scope.filter(pk__in=list(planned))}
    extras = [
        Extra(
            entry=entries[entry_id],
            p_above=found[entry_id].p_above,
            reviews_done=ranked[entry_id].ranked.reviews_done,
            jurors=[by_id[j] for j in juror_ids],
        )
        for entry_id, juror_ids in planned.items()
    ]
    extras.sort(key=lambda x: (abs(x.p_above - 0.5), x.entry.pk))
    return extras


_PAIR = re.compile(r"(\d{1,12}):(\d{1,12})")


def parse_plan(text):
    """``"entry:juror entry:juror …"`` (what the preview shows and the confirm form sends
    back) as ``[(entry_id, juror_id)]``; ``JudgingError`` for anything else."""
    parts = str(text or "").split()
    pairs = []
    for part in parts:
        match = _PAIR.fullmatch(part)
        if match is None:
            raise JudgingError(_("The plan was not understood; preview it again."))
        pairs.append((int(match[1]), int(match[2])))
    if not pairs or len(pairs) > MAX_BUDGET or len(set(pairs)) != len(pairs):
        raise JudgingError(_("The plan was not understood; preview it again."))
    return pairs


def plan_text(extras):
    return " ".join(f"{x.entry.pk}:{j.pk}" for x in extras for j in x.jurors)


@transaction.atomic
def add_boundary_reviews(*, round_, pairs, per_juror, by):
    """Make the extra reviews of a previewed plan (``pairs`` of entry and juror ids).

    Every pair is checked again: the entry in scope, the juror active and not conflicted,
    no review of that entry by that juror yet (a pair reviewed meanwhile is refused rather
    than counted twice), and no juror given more than ``per_juror``. All or nothing.
    Side effects: the reviews and notifications of ``add_assignments``, audit
    ``judging.round.boundary_reviews``.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    if round_.status in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("A locked round cannot be reassigned."))
    if not 1 <= per_juror <= MAX_PER_JUROR:
        raise JudgingError(_("Give a number of extra reviews between 1 and 500."))
    loads = {}
    for _entry, juror_id in pairs:
        loads[juror_id] = loads.get(juror_id, 0) + 1
    if any(n > per_juror for n in loads.values()):
        raise JudgingError(_("The plan gives a juror more extra reviews than allowed."))
    jurors = Juror.objects.filter(challenge_id=round_.challenge_id).in_bulk(list(loads))
    entries = selectors.entries_in_scope(round_).in_bulk([e for e, _j in pairs])
    if len(jurors) != len(loads) or len(entries) != len({e for e, _j in pairs}):
        raise JudgingError(_("The plan was not understood; preview it again."))
    existing = set(
        Review.objects.filter(
            round=round_, submission_id__in=list(entries), juror_id__in=list(jurors)
        ).values_list("submission_id", "juror_id")
    )
    if existing & set(pairs):
        raise JudgingError(_("Reviews were assigned meanwhile; preview the plan again."))
    reviews = add_assignments(
        round_=round_, pairs=[(entries[e], jurors[j]) for e, j in pairs], by=by
    )
    record(
        action="judging.round.boundary_reviews",
        obj=round_,
        by=by,
        added=len(reviews),
        entries=sorted({e for e, _j in pairs}),
    )
    return reviews
