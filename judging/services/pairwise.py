"""Pairwise expo judging: tables, sending judges round the room, their comparisons, the
live ranking (docs/judging.md, "Pairwise expo judging").

A judge of a pairwise round is one of the challenge's active jurors (confidentiality
signed). The service sends them to one table at a time (``PairwiseVisit`` "sent"); at
the first table they only look (``mark_seen``), at every later one they answer "which of
the last two was better?" (``compare``), or say the project is absent or busy
(``skip``). Every answer is a ``Comparison``; the ranking replays them through Crowd-BT
(``pairwise_model``).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from submissions.models import Submission

from ..enums import RoundMode, RoundStatus, VisitState
from ..models import Comparison, ExpoTable, Juror, PairwiseVisit, Round
from . import JudgingError, pairwise_model
from .jurors import conflicted_pairs


# --- tables -------------------------------------------------------------------------------
def ensure_tables(round_):
    """Give every entry in the round's scope without a table the next free number, in
    the order the entries were submitted. Returns the round's tables, by number."""
    from ..selectors import entries_in_scope

    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round_.pk).first()
        numbered = set(
            ExpoTable.objects.filter(round=round_).values_list("submission_id", flat=True)
        )
        missing = entries_in_scope(round_).exclude(pk__in=numbered).order_by("submitted_at", "pk")
        start = ExpoTable.objects.filter(round=round_).aggregate(m=Max("number"))["m"] or 0
        ExpoTable.objects.bulk_create(
            ExpoTable(round=round_, submission=entry, number=start + i)
            for i, entry in enumerate(missing, start=1)
        )
    return list(ExpoTable.objects.filter(round=round_).select_related("submission"))


def set_table(*, round_, submission, number, by):
    """Staff give ``submission`` table ``number`` (another entry's number is refused).

    Side effects: the ``ExpoTable`` row, audit ``judging.expo.table``."""
    require(by, "challenges.manage_challenge", round_.challenge)
    if submission.challenge_id != round_.challenge_id:
        raise JudgingError(_("This entry is not in this challenge."), code="expo_foreign_entry")
    if number < 1:
        raise JudgingError(
            _("A table number starts at 1."), code="expo_table_number", field="number"
        )
    taken = ExpoTable.objects.filter(round=round_, number=number).exclude(submission=submission)
    if taken.exists():
        raise JudgingError(
            _("Table %(n)s is another project's.") % {"n": number},
            code="expo_table_taken",
            field="number",
        )
    try:
        with transaction.atomic():
            table, _created = ExpoTable.objects.update_or_create(
                round=round_, submission=submission, defaults={"number": number}
            )
    except IntegrityError:
        raise JudgingError(
            _("Table %(n)s is another project's.") % {"n": number}, code="expo_table_taken"
        ) from None
    record(action="judging.expo.table", obj=round_, by=by, entry=submission.pk, number=number)
    return table


# --- the judge's walk ---------------------------------------------------------------------
@dataclass
class Walk:
    """Where a judge stands in a pairwise round."""

    round: Round
    juror: Juror
    current: PairwiseVisit | None  # the table they are sent to
    previous: PairwiseVisit | None  # the last table they judged (the comparison's other side)
    tables: dict  # submission id → table number
    compared: int  # their comparisons so far
    seen: int


def _pairwise_round(round_):
    if round_.mode != RoundMode.PAIRWISE:
        raise JudgingError(_("This round is not a pairwise round."), code="expo_not_pairwise")


def judge_of(round_, user):
    """The user's juror row if they may judge this pairwise round, else ``None``."""
    if round_.mode != RoundMode.PAIRWISE or round_.status == RoundStatus.DRAFT:
        return None
    juror = Juror.objects.filter(challenge_id=round_.challenge_id, user_id=user.pk).first()
    return juror if juror is not None and juror.can_score else None


def walk(round_, juror):
    visits = list(
        PairwiseVisit.objects.filter(round=round_, juror=juror)
        .select_related("submission")
        .order_by("sent_at", "id")
    )
    current = next((v for v in visits if v.state == VisitState.SENT), None)
    seen = [v for v in visits if v.state == VisitState.SEEN]
    tables = dict(ExpoTable.objects.filter(round=round_).values_list("submission_id", "number"))
    return Walk(
        round=round_,
        juror=juror,
        current=current,
        previous=max(seen, key=lambda v: (v.done_at, v.id)) if seen else None,
        tables=tables,
        compared=Comparison.objects.filter(round=round_, judge=juror).count(),
        seen=len(seen),
    )


def beliefs(round_):
    """The round's Crowd-BT state: ``(items, judges, counts)`` — ``Item`` by entry id,
    ``Judge`` by juror id, comparisons by entry id — from its comparisons in order."""
    answers = list(
        Comparison.objects.filter(round=round_)
        .order_by("created", "id")
        .values_list("judge_id", "winner_id", "loser_id")
    )
    items, judges = pairwise_model.replay(answers)
    counts = {}
    for _judge, winner, loser in answers:
        counts[winner] = counts.get(winner, 0) + 1
        counts[loser] = counts.get(loser, 0) + 1
    return items, judges, counts


def choose_next(round_, juror, *, previous_id=None, exclude=()):
    """The entry to send ``juror`` to next, or ``None`` when there is none left.

    Never an entry the juror is conflicted with. Tables the juror has not visited come
    first (a table they skipped comes back only when no unvisited one is left; one they
    judged never does), then tables no other judge is walking to, then the fewest
    comparisons; among those, the most informative: the largest expected information
    gain against the previous project (``pairwise_model.information_gain``), or, for a
    first table, the most uncertain standing. Ties go to the lower table number.
    """
    tables = {t.submission_id: t.number for t in ensure_tables(round_)}
    entries = Submission.objects.filter(pk__in=list(tables))
    conflicted = {e for e, _j in conflicted_pairs(jurors=[juror], entries=entries)}
    states = {}
    for submission_id, state in PairwiseVisit.objects.filter(round=round_, juror=juror).values_list(
        "submission_id", "state"
    ):
        if states.get(submission_id) != VisitState.SEEN:
            states[submission_id] = state
    busy = set(
        PairwiseVisit.objects.filter(round=round_, state=VisitState.SENT)
        .exclude(juror=juror)
        .values_list("submission_id", flat=True)
    )
    candidates = [
        e
        for e in tables
        if e not in conflicted and e not in exclude and states.get(e) != VisitState.SEEN
    ]
    items, judges, counts = beliefs(round_)
    return pairwise_model.pick(
        candidates,
        judge=judges.get(juror.pk, pairwise_model.Judge()),
        previous=items.get(previous_id, pairwise_model.Item()) if previous_id else None,
        items=items,
        counts=counts,
        skipped={e for e, state in states.items() if state == VisitState.SKIPPED},
        busy=busy,
        order=tables,
    )


def _send(round_, juror, *, previous_id=None, exclude=()):
    entry_id = choose_next(round_, juror, previous_id=previous_id, exclude=exclude)
    if entry_id is None:
        return None
    return PairwiseVisit.objects.create(round=round_, juror=juror, submission_id=entry_id)


def _locked_walk(round_, juror, by):
    """Checks shared by every step, under a lock of the juror's row (one step at a time)."""
    _pairwise_round(round_)
    require(by, "judging.judge_pairwise", round_)
    locked = Juror.objects.select_for_update().get(pk=juror.pk)
    if locked.user_id != getattr(by, "pk", None) or not locked.can_score:
        raise JudgingError(_("You are not a judge of this round."), code="expo_not_judge")
    if not round_.is_open_at():
        raise JudgingError(
            _("This round is closed: no more comparisons are accepted."), code="expo_closed"
        )
    return walk(round_, locked)


@transaction.atomic
def start(*, round_, juror, by):
    """Send the judge to a table if they are not on the way to one. Returns the ``Walk``."""
    state = _locked_walk(round_, juror, by)
    if state.current is None:
        _send(round_, juror, previous_id=state.previous and state.previous.submission_id)
    return walk(round_, juror)


def _finish(visit, state):
    visit.state = state
    visit.done_at = timezone.now()
    visit.save(update_fields=["state", "done_at"])


@transaction.atomic
def mark_seen(*, round_, juror, by, visit_id):
    """The judge has seen their first table (nothing to compare yet); send them on."""
    state = _locked_walk(round_, juror, by)
    current = state.current
    if current is None or current.pk != visit_id:
        raise JudgingError(_("You were not sent to this table."), code="expo_not_sent")
    if state.previous is not None:
        raise JudgingError(
            _("Say which of the last two projects was better."), code="expo_compare_first"
        )
    _finish(current, VisitState.SEEN)
    record(action="judging.expo.seen", obj=round_, by=by, entry=current.submission_id)
    _send(round_, juror, previous_id=current.submission_id)
    return walk(round_, juror)


@transaction.atomic
def compare(*, round_, juror, by, winner_id, loser_id):
    """The judge says ``winner`` was better than ``loser``: the last table they judged and
    the one they were sent to, in either order. Anything else is refused.

    The same answer sent twice (a phone resending on a poor connection) is taken once.
    Side effects: a ``Comparison``, the visit marked seen, the judge sent on, audit
    ``judging.expo.compared``.
    """
    state = _locked_walk(round_, juror, by)
    last = Comparison.objects.filter(round=round_, judge=juror).order_by("-created", "-id").first()
    # The answer just taken, sent again: its second project is now the previous one.
    resent = last is not None and (last.winner_id, last.loser_id) == (winner_id, loser_id)
    if resent and state.previous and state.previous.submission_id in (winner_id, loser_id):
        return last
    current, previous = state.current, state.previous
    if (
        current is None
        or previous is None
        or {winner_id, loser_id} != {current.submission_id, previous.submission_id}
    ):
        raise JudgingError(
            _("You were not sent to compare these two projects."), code="expo_not_sent"
        )
    hit = conflicted_pairs(
        jurors=[juror], entries=Submission.objects.filter(pk__in=[winner_id, loser_id])
    )
    if hit:
        raise JudgingError(
            _(
                "You have declared a conflict of interest with one of these projects; "
                "skip it and judge the next one."
            ),
            code="expo_conflicted",
        )
    _finish(current, VisitState.SEEN)
    comparison = Comparison.objects.create(
        round=round_, judge=juror, winner_id=winner_id, loser_id=loser_id, visit=current
    )
    record(action="judging.expo.compared", obj=round_, by=by, winner=winner_id, loser=loser_id)
    _send(round_, juror, previous_id=current.submission_id)
    return comparison


@transaction.atomic
def skip(*, round_, juror, by, visit_id):
    """The project at the judge's table is absent or busy: send them to another one (the
    comparison stays against the last project they judged)."""
    state = _locked_walk(round_, juror, by)
    current = state.current
    if current is None or current.pk != visit_id:
        raise JudgingError(_("You were not sent to this table."), code="expo_not_sent")
    _finish(current, VisitState.SKIPPED)
    record(action="judging.expo.skipped", obj=round_, by=by, entry=current.submission_id)
    _send(
        round_,
        juror,
        previous_id=state.previous and state.previous.submission_id,
        exclude={current.submission_id},
    )
    return walk(round_, juror)


# --- the ranking ----------------------------------------------------------------------------
@dataclass
class PairwiseRow:
    rank: int
    entry: Submission
    table: int | None
    mu: float
    sigma: float
    comparisons: int
    wins: int
    bt: float
    bt_sd: float

    @property
    def low(self):
        return self.mu - 1.96 * self.sigma

    @property
    def high(self):
        return self.mu + 1.96 * self.sigma


@dataclass
class JudgeRow:
    juror: Juror
    comparisons: int
    skipped: int
    reliability: float


def ranking(round_):
    """``[PairwiseRow]`` for every entry with a table, by Crowd-BT mean (then fewer
    comparisons last, then table): the live ranking staff see and export."""
    tables = {t.submission_id: t for t in ensure_tables(round_)}
    items, _judges, counts = beliefs(round_)
    pairs = list(Comparison.objects.filter(round=round_).values_list("winner_id", "loser_id"))
    wins = {}
    for winner, _loser in pairs:
        wins[winner] = wins.get(winner, 0) + 1
    order = list(tables)
    index = {e: i for i, e in enumerate(order)}
    strengths, sds = pairwise_model.bradley_terry(
        len(order), [(index[w], index[x]) for w, x in pairs if w in index and x in index]
    )
    rows = []
    for e, table in tables.items():
        item = items.get(e, pairwise_model.Item())
        rows.append(
            PairwiseRow(
                rank=0,
                entry=table.submission,
                table=table.number,
                mu=item.mu,
                sigma=item.sigma,
                comparisons=counts.get(e, 0),
                wins=wins.get(e, 0),
                bt=strengths[index[e]],
                bt_sd=sds[index[e]],
            )
        )
    rows.sort(key=lambda r: (-r.mu, r.table))
    for place, row in enumerate(rows, start=1):
        row.rank = place
    return rows


def judge_rows(round_):
    """Every juror of the challenge who compared or was sent in this round, with their
    comparisons, skips and Crowd-BT reliability."""
    _items, judges, _counts = beliefs(round_)
    jurors = Juror.objects.filter(
        Q(comparisons__round=round_) | Q(pairwise_visits__round=round_)
    ).distinct()
    compared, skipped = {}, {}
    for judge_id in Comparison.objects.filter(round=round_).values_list("judge_id", flat=True):
        compared[judge_id] = compared.get(judge_id, 0) + 1
    for judge_id in PairwiseVisit.objects.filter(
        round=round_, state=VisitState.SKIPPED
    ).values_list("juror_id", flat=True):
        skipped[judge_id] = skipped.get(judge_id, 0) + 1
    return sorted(
        (
            JudgeRow(
                juror=j,
                comparisons=compared.get(j.pk, 0),
                skipped=skipped.get(j.pk, 0),
                reliability=judges.get(j.pk, pairwise_model.Judge()).reliability,
            )
            for j in jurors.select_related("user")
        ),
        key=lambda r: (-r.comparisons, r.juror.pk),
    )


@dataclass
class Agreement:
    round: Round
    tau: float | None
    common: int


def scored_agreement(round_, rows):
    """Kendall's tau between the pairwise ranking and the latest scored round of the same
    challenge, over the entries both ranked (``None`` when there is no scored round)."""
    from .. import selectors

    scored = (
        Round.objects.filter(challenge_id=round_.challenge_id, mode=RoundMode.SCORED)
        .exclude(status=RoundStatus.DRAFT)
        .order_by("-position", "-id")
        .first()
    )
    if scored is None:
        return None
    scores = {
        r.entry.id: r.ranked.score for r in selectors.ranking(scored) if r.ranked.score is not None
    }
    common = [row for row in rows if row.entry.id in scores]
    tau = pairwise_model.kendall_tau(
        [row.mu for row in common], [float(scores[row.entry.id]) for row in common]
    )
    return Agreement(round=scored, tau=tau, common=len(common))
