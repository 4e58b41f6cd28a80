"""Round lifecycle: open, lock, publish, and advancing entries out of a locked round."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from submissions.enums import SubmissionStatus
from submissions.models import Submission
from submissions.services.status import change_status

from .. import selectors
from ..enums import RoundMode, RoundStatus
from ..models import Advancement, Publication, Round
from . import JudgingError, uncertainty

ADVANCE_TO_STATUS = {
    "shortlisted": SubmissionStatus.SHORTLISTED,
    "finalist": SubmissionStatus.FINALIST,
    "winner": SubmissionStatus.WINNER,
}


def _locked(round_):
    return Round.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def save_round(*, form, criteria, by):
    """Save a round and its criteria from the staff form and formset (both validated).

    Side effects: the ``Round`` and its ``Criterion`` rows, audit ``judging.round.created``
    or ``judging.round.changed`` (with the names of the fields that changed).
    """
    challenge = form.instance.challenge
    require(by, "challenges.manage_challenge", challenge)
    created = form.instance.pk is None
    changed = sorted(set(form.changed_data) | ({"criteria"} if criteria.has_changed() else set()))
    saved = form.save()
    criteria.instance = saved
    criteria.save()
    record(
        action="judging.round.created" if created else "judging.round.changed",
        obj=saved,
        by=by,
        fields=changed,
    )
    return saved


@transaction.atomic
def open_round(*, round_, by):
    """Open a draft round for scoring. A round needs criteria, all with positive weights.

    Side effects: audit ``judging.round.opened``.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    locked = _locked(round_)
    if locked.status != RoundStatus.DRAFT:
        raise JudgingError(_("Only a draft round can be opened."))
    # A screening round asks for a verdict, a pairwise one for comparisons: no criteria.
    if locked.mode == RoundMode.SCORED:
        criteria = list(locked.criteria.all())
        if not criteria:
            raise JudgingError(_("A round without criteria cannot be opened."))
        if any(c.weight <= 0 for c in criteria):
            raise JudgingError(_("Every criterion needs a weight above zero."))
    locked.status = RoundStatus.OPEN
    locked.save(update_fields=["status"])
    record(action="judging.round.opened", obj=locked, by=by)
    round_.status = locked.status
    return locked


@transaction.atomic
def lock_round(*, round_, by):
    """Lock a round: no more scoring or reopening; its ranking can then be acted on.

    Side effects: audit ``judging.round.locked``.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    locked = _locked(round_)
    if locked.status != RoundStatus.OPEN:
        raise JudgingError(_("Only an open round can be locked."))
    locked.status = RoundStatus.LOCKED
    locked.save(update_fields=["status"])
    record(action="judging.round.locked", obj=locked, by=by)
    round_.status = locked.status
    return locked


def publication_rows(round_):
    """``(rows, margins)``: the ranked rows of the round as published (the ranking
    recomputed now) and, when the round says so (``show_margins``), the runs of places its
    jury's scores did not tell apart (``uncertainty.margins``; else ``[]``)."""
    if round_.show_margins:
        ranking, found = selectors.certainty(round_)
        margins = [list(run) for run in uncertainty.margins([r.ranked for r in ranking], found)]
    else:
        ranking, margins = selectors.ranking(round_), []
    rows = []
    for row in ranking:
        if row.ranked.rank is None:
            continue
        rows.append(
            {
                "rank": row.ranked.rank,
                "entry_id": row.entry.id,
                "title": row.entry.title,
                "track": row.entry.track,
                "score": row.ranked.display_score,
                "status": row.entry.status,
            }
        )
    return rows, margins


@transaction.atomic
def publish_round(*, round_, by):
    """Publish a locked round's results (winners and finalists) on the challenge's page.

    Freezes the ranking as shown to staff into a ``Publication``. Side effects: audit
    ``judging.round.published``.
    """

    require(by, "challenges.manage_challenge", round_.challenge)
    locked = _locked(round_)
    if locked.is_screening:
        raise JudgingError(_("A screening round has no ranking to publish."))
    if locked.is_pairwise:
        raise JudgingError(
            _("A pairwise round's ranking is not published on the site; export it instead.")
        )
    if locked.status not in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("Lock the round before publishing its results."))
    rows, margins = publication_rows(locked)
    Publication.objects.update_or_create(
        round=locked,
        defaults={
            "rows": rows,
            "margins": margins,
            "published_by": by,
            "published_at": timezone.now(),
        },
    )
    locked.status = RoundStatus.PUBLISHED
    locked.save(update_fields=["status"])
    record(action="judging.round.published", obj=locked, by=by, entries=len(rows))
    round_.status = locked.status
    return locked


def select_for_advance(rows, *, top_n=None, threshold=None, per_track=True):
    """The ranked rows to advance: the top N (per track if asked) or all at/above a score.

    Only complete rows (ranked) that passed every must-pass criterion qualify.
    """
    if (top_n is None) == (threshold is None):
        raise JudgingError(_("Give either a number of entries or a score threshold."))
    qualified = [r for r in rows if r.ranked.rank is not None and "must_pass" not in r.ranked.flags]
    if threshold is not None:
        return [r for r in qualified if round(r.ranked.score, 2) >= threshold]
    if not per_track:
        return qualified[:top_n]
    chosen, taken = [], {}
    for r in qualified:
        count = taken.get(r.entry.track_id, 0)
        if count < top_n:
            chosen.append(r)
            taken[r.entry.track_id] = count + 1
    return chosen


@transaction.atomic
def advance_entries(
    *,
    round_,
    by,
    top_n=None,
    threshold=None,
    per_track=True,
    to_round=None,
    status=None,
    mark_others=False,
):
    """Advance the best entries of a locked round to ``to_round`` and/or a new ``status``.

    Side effects: ``Advancement`` rows for ``to_round``; status changes through
    ``submissions.services.status.change_status`` (with their notifications); with
    ``mark_others`` the rest of the ranked entries become "not selected"; audit
    ``judging.round.advanced``. Returns the advanced submissions.
    """

    require(by, "challenges.manage_challenge", round_.challenge)
    locked = _locked(round_)
    if locked.is_screening:
        raise JudgingError(
            _(
                "A screening round has no ranking: a round that takes the entries advanced "
                "from it judges the eligible ones."
            )
        )
    if locked.status not in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("Lock the round before advancing entries from it."))
    if to_round is None and status is None:
        raise JudgingError(_("Choose the next round or a status to advance to."))
    if to_round is not None and (
        to_round.challenge_id != locked.challenge_id or to_round.pk == locked.pk
    ):
        raise JudgingError(_("Entries can only advance to another round of this challenge."))
    rows = selectors.ranking(locked)
    chosen = select_for_advance(rows, top_n=top_n, threshold=threshold, per_track=per_track)
    chosen_ids = {r.entry.id for r in chosen}
    submissions = Submission.objects.in_bulk([r.entry.id for r in rows if r.ranked.rank])
    for r in chosen:
        submission = submissions[r.entry.id]
        if to_round is not None:
            Advancement.objects.get_or_create(
                round=to_round, submission=submission, defaults={"by": by}
            )
        if status is not None:
            change_status(
                submission=submission,
                status=ADVANCE_TO_STATUS[status],
                by=by,
                reason=_("Advanced from %(round)s") % {"round": locked.display_name},
            )
    if mark_others and status is not None:
        for r in rows:
            if r.ranked.rank is not None and r.entry.id not in chosen_ids:
                change_status(
                    submission=submissions[r.entry.id],
                    status=SubmissionStatus.NOT_SELECTED,
                    by=by,
                    reason=_("Not advanced from %(round)s") % {"round": locked.display_name},
                )
    record(
        action="judging.round.advanced",
        obj=locked,
        by=by,
        entries=sorted(chosen_ids),
        to_round=to_round.pk if to_round else None,
        status=status or "",
    )
    return [submissions[r.entry.id] for r in chosen]
