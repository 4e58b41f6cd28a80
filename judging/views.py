"""The juror's side: invitations, conflicts, the queue and the review form. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.enums import EntryFieldType
from core.access import allowed, obtain, require
from core.errors import Refused, as_json, show
from core.forms import cleaned
from core.i18n import zone_label
from core.uploads import presigned_get
from submissions.forms import UploadForm
from submissions.models import Submission
from submissions.services.answers import build_form, shown

from . import selectors
from .enums import JurorStatus, ReviewState, RoundStatus, Verdict
from .forms import AcceptForm, AppealForm, ConflictForm, ReviewForm, ScreeningForm
from .models import (
    Appeal,
    Criterion,
    FollowUpAnswers,
    Juror,
    Review,
    Round,
    Score,
    ScreeningDecision,
)
from .services import JudgingError, pairwise
from .services.aggregation import juror_statistics
from .services.appeals import file_appeal
from .services.feedback import EntryFeedback, entry_feedback
from .services.followups import followup_files, save_followup
from .services.jurors import accept_invitation, declare_conflict
from .services.reviews import (
    ReviewInvalid,
    StaleReview,
    open_review,
    reopen_review,
    save_review,
    takes_scores,
)
from .services.screening import decide


@login_required
def home(request):
    """The juror's juries, rounds and pending invitations."""
    jurors = list(
        Juror.objects.filter(user=request.user, status=JurorStatus.ACTIVE).select_related(
            "challenge"
        )
    )
    rounds = list(
        Round.objects.filter(challenge__in=[j.challenge_id for j in jurors])
        .exclude(status=RoundStatus.DRAFT)
        .select_related("challenge")
        .order_by("challenge_id", "position")
    )
    return render(request, "judging/home.html", {"jurors": jurors, "rounds": rounds})


@login_required
def accept(request, token):
    juror = get_object_or_404(Juror.objects.select_related("challenge"), token=token)
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invitation(
                token=token, user=request.user, confidentiality=form.cleaned_data["confidentiality"]
            )
        except JudgingError as exc:
            show(request, exc, form=form)
        else:
            messages.success(request, _("Welcome to the jury. Please declare any conflicts."))
            return redirect("judging:conflicts", challenge_id=juror.challenge_id)
    return render(request, "judging/accept.html", {"juror": juror, "form": form})


def _my_juror(request, challenge_id):
    juror = selectors.juror_for(request.user, challenge_id)
    if juror is None:
        raise Http404
    return juror


@login_required
def conflicts(request, challenge_id):
    juror = _my_juror(request, challenge_id)
    form = ConflictForm(request.POST or None, challenge=juror.challenge)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _conflict, _removed = declare_conflict(
                juror=juror,
                by=request.user,
                kind=data["kind"],
                team=data.get("team"),
                organisation=data.get("organisation") or "",
                region=data.get("region"),
                person=data.get("person") or "",
                note=data.get("note") or "",
            )
        except JudgingError as exc:
            show(request, exc, form=form)
        else:
            messages.success(
                request, _("Conflict recorded. You will not be assigned such entries.")
            )
            return redirect("judging:conflicts", challenge_id=challenge_id)
    declared = juror.conflicts.select_related("team", "region")
    return render(
        request, "judging/conflicts.html", {"juror": juror, "form": form, "declared": declared}
    )


def _round_and_juror(request, round_id):
    round_ = get_object_or_404(Round.objects.select_related("challenge"), pk=round_id)
    if round_.status == RoundStatus.DRAFT:
        raise Http404
    juror = _my_juror(request, round_.challenge_id)
    return round_, juror


@login_required
def queue(request, round_id):
    round_, juror = _round_and_juror(request, round_id)
    if round_.is_screening:
        return _screening_queue(request, round_, juror)
    if round_.is_pairwise:
        return redirect("judging:expo", round_id=round_.id)
    reviews = list(selectors.queue(round_=round_, juror=juror))
    real = [r for r in reviews if not r.is_calibration]
    done = sum(1 for r in real if r.state == ReviewState.SUBMITTED)
    # The juror's own figures from their reviews, the panel's from the database: the
    # page costs the same for a round of 600 entries and one of 6,000.
    criteria = list(round_.criteria.all())
    stats, _mean, _sd = juror_statistics(
        selectors.review_scores(round_, criteria=criteria, juror=juror)
    )
    mine = stats.get(juror.id)
    panel_mean, panel_sd = selectors.panel_figures(round_, criteria=criteria)
    calibration = _calibration(round_, juror, reviews)
    queue_html = _queue_html(round_, reviews)
    return render(
        request,
        "judging/queue.html",
        {
            "round": round_,
            "reviews": reviews,
            "queue_html": queue_html,
            "done": done,
            "total": len(real),
            "percent": round(100 * done / len(real)) if real else 0,
            "mine": mine,
            "panel_mean": panel_mean,
            "panel_sd": panel_sd,
            "calibration": calibration,
            "open": round_.is_open_at(),
        },
    )


def _screening_queue(request, round_, juror):
    reviews = list(selectors.screening_queue(round_=round_, juror=juror))
    done = sum(1 for r in reviews if r.verdict)
    base = reverse("judging:screen", args=[round_.id, 0])[: -len("0/")]
    labels = {key: escape(label) for key, label in Verdict.choices}
    waiting = escape(_("To decide"))
    items = mark_safe(  # noqa: S308 -- every value is escaped
        "\n".join(
            f'<li><a href="{base}{r.id}/"><span>{escape(r.submission.title)}</span> '
            f'<span class="state {r.verdict or "assigned"}">'
            f"{labels[r.verdict] if r.verdict else waiting}</span></a></li>"
            for r in reviews
        )
    )
    return render(
        request,
        "judging/screening_queue.html",
        {
            "round": round_,
            "reviews": reviews,
            "queue_html": items,
            "done": done,
            "total": len(reviews),
            "percent": round(100 * done / len(reviews)) if reviews else 0,
            "open": round_.is_open_at(),
        },
    )


def _queue_html(round_, reviews):
    """The queue's list items, built in Python (a juror may have hundreds of entries)."""
    base = reverse("judging:review", args=[round_.id, 0])[: -len("0/")]
    labels = {key: escape(label) for key, label in ReviewState.choices}
    prefix = escape(_("Calibration:")) + " "
    return mark_safe(  # noqa: S308 -- every value is escaped
        "\n".join(
            f'<li><a href="{base}{r.id}/"><span>{prefix if r.is_calibration else ""}'
            f'{escape(r.submission.title)}</span> <span class="state {r.state}">'
            f"{labels[r.state]}</span></a></li>"
            for r in reviews
        )
    )


def _calibration(round_, juror, reviews):
    """After a juror submitted all their anchors: their score and the panel's mean on each."""
    anchors = [r for r in reviews if r.is_calibration]
    if not anchors or any(r.state != ReviewState.SUBMITTED for r in anchors):
        return {"pending": bool(anchors), "rows": []}
    scores = selectors.review_scores(round_, calibration=True)
    per_entry = {}
    for s in scores:
        per_entry.setdefault(s.entry_id, []).append(s)
    rows = []
    for r in anchors:
        entry_scores = per_entry.get(r.submission_id, [])
        own = next((s.score for s in entry_scores if s.juror_id == juror.id), None)
        panel = [s.score for s in entry_scores]
        rows.append(
            {
                "title": r.submission.title,
                "own": own,
                "panel": sum(panel) / len(panel) if panel else None,
                "count": len(panel),
            }
        )
    return {"pending": False, "rows": rows}


def _review_for(request, round_id, review_id, *, with_next=False):
    reviews = Review.objects.select_related(
        "round__challenge", "juror", "submission__track", "submission__current_version", "appeal"
    )
    if with_next:
        # The "Next entry" link, read in the same query as the review.
        following = _following(
            round_id=OuterRef("round_id"), juror_id=OuterRef("juror_id"), pk=OuterRef("pk")
        )
        reviews = reviews.annotate(next_review_id=Subquery(following[:1]))
    # Another juror's review, a conflicted one or one in a draft round does not exist for
    # this user (404); the rule is the one ``save_review`` checks.
    return obtain(
        request.user, reviews, see="judging.score_review", pk=review_id, round_id=round_id
    )


@login_required
def review(request, round_id, review_id):
    review = _review_for(request, round_id, review_id, with_next=True)
    if review.round.is_screening:
        return redirect("judging:screen", round_id=round_id, review_id=review_id)
    open_for_scoring = takes_scores(review)
    criteria, scores = _criteria_and_scores(review)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        if not open_for_scoring:
            messages.error(request, _("This round is closed for scoring."))
            return redirect(request.path)
        form = ReviewForm(request.POST, criteria=criteria, scores=scores)
        submit = "submit" in request.POST
        stale = False
        if form.is_valid():
            try:
                save_review(
                    review=review,
                    by=request.user,
                    answers=form.answers(),
                    overall_comment=form.cleaned_data["overall_comment"].strip(),
                    share_overall=form.cleaned_data["share_overall"],
                    version=form.cleaned_data["version"],
                    submit=submit,
                )
            except StaleReview as exc:
                stale = True
                if autosave:
                    return as_json(exc)
                show(request, exc, form=form)
            except ReviewInvalid as exc:
                for criterion_id, problem in exc.errors.items():
                    form.add_error(f"score_{criterion_id}", problem)
            except JudgingError as exc:
                show(request, exc, form=form)
            else:
                if autosave:
                    return JsonResponse(
                        {"version": review.version, "saved_at": timezone.now().isoformat()}
                    )
                if submit:
                    messages.success(request, _("Review submitted. Thank you."))
                    following = _next_review(review)
                    if following:
                        return redirect(following)
                    return redirect("judging:queue", round_id=round_id)
                messages.success(request, _("Draft saved."))
                return redirect(request.path)
        if autosave:
            return JsonResponse({"error": _("Not saved: check the marked fields.")}, status=400)
        status = 409 if stale else 400
    else:
        if review.opened_at is None:  # most loads are re-visits: skip the empty transaction
            open_review(review=review)
        form = ReviewForm(
            initial={
                "version": review.version,
                "overall_comment": review.overall_comment,
                "share_overall": review.share_overall,
            },
            criteria=criteria,
            scores=scores,
        )
        status = 200
    context = {
        **_as_submitted(review),
        "review": review,
        "round": review.round,
        "entry": review.submission,
        "form": form,
        "editable": open_for_scoring and review.state != ReviewState.SUBMITTED,
        "can_reopen": review.state == ReviewState.SUBMITTED
        and review.round.juror_can_reopen
        and open_for_scoring,
        "next_url": _next_review(review),
    }
    return render(request, "judging/review.html", context, status=status)


def _criteria_and_scores(review):
    """The round's criteria (as ``selectors.criteria_for`` orders them) and this review's
    scores by criterion id, in one query: each criterion carries its score, if any."""
    criteria = list(
        Criterion.objects.filter(round_id=review.round_id)
        .annotate(
            mine=FilteredRelation("scores", condition=Q(scores__review_id=review.pk)),
            score_id=F("mine__id"),
            score_value=F("mine__value"),
            score_comment=F("mine__comment"),
            score_share=F("mine__share_comment"),
        )
        .order_by("position", "id")
    )
    scores = {
        c.id: Score(
            id=c.score_id,
            review=review,
            criterion=c,
            value=c.score_value,
            comment=c.score_comment,
            share_comment=bool(c.score_share),
        )
        for c in criteria
        if c.score_id is not None
    }
    return criteria, scores


def _following(*, round_id, juror_id, pk):
    """Ids of the juror's unfinished reviews other than ``pk``, in their own queue order."""
    return (
        Review.objects.filter(round_id=round_id, juror_id=juror_id)
        .exclude(pk=pk)
        .exclude(state=ReviewState.SUBMITTED)
        .order_by("-is_calibration", "queue_key", "id")
        .values_list("id", flat=True)
    )


def _next_review(review):
    """The juror's next unfinished review in their own queue order (at most one query)."""
    if hasattr(review, "next_review_id"):
        following = review.next_review_id
    else:
        following = _following(
            round_id=review.round_id, juror_id=review.juror_id, pk=review.pk
        ).first()
    if following is None:
        return None
    page = "judging:screen" if review.round.is_screening else "judging:review"
    return reverse(page, args=[review.round_id, following])


@login_required
@require_POST
def reopen(request, round_id, review_id):
    review = _review_for(request, round_id, review_id)
    try:
        reopen_review(review=review, by=request.user)
    except JudgingError as exc:
        show(request, exc)
    else:
        messages.success(request, _("The review is a draft again."))
    return redirect("judging:review", round_id=round_id, review_id=review_id)


def _sent_followup(review):
    """The round's follow-up as the entry's team sent it (``None`` before a send)."""
    return (
        FollowUpAnswers.objects.filter(
            round_id=review.round_id,
            submission_id=review.submission_id,
            submitted_at__isnull=False,
        )
        .only("frozen", "files")
        .first()
    )


def _jury_files(review, followup):
    """The files the jury reads, in one numbered list: the frozen version's, then those
    sent with the round's follow-up."""
    version = review.submission.current_version
    return [*(version.files if version else []), *(followup.files if followup else [])]


def _as_submitted(review):
    """What the review and the screening page show of the entry: the answers frozen at
    submit and those of the round's follow-up — for jurors, never staff-only ones, and in
    a blind round none of those marked hidden in blind rounds — and the files."""
    version = review.submission.current_version
    data = version.data if version else {}
    followup = _sent_followup(review)
    blind = review.round.blind
    return {
        "data": data,
        "answers": shown(data.get("answers"), audience="jurors", blind=blind),
        "followup_answers": shown(
            followup.frozen if followup else None, audience="jurors", blind=blind
        ),
        "files": [
            {"index": i, "name": f.get("name"), "kind": f.get("kind")}
            for i, f in enumerate(_jury_files(review, followup))
        ],
    }


@login_required
def download(request, round_id, review_id, index):
    """A short-lived link to one file the juror reads (``_jury_files``)."""
    review = _review_for(request, round_id, review_id)  # reading stays allowed after closing
    files = _jury_files(review, _sent_followup(review))
    if not 0 <= index < len(files):
        raise Http404
    item = files[index]
    return HttpResponseRedirect(presigned_get(key=item["key"], filename=item["name"]))


@login_required
def screen(request, round_id, review_id):
    """A screener's page for one entry: the entry as submitted, and eligible/ineligible."""
    review = obtain(
        request.user,
        Review.objects.select_related(
            "round__challenge",
            "juror",
            "submission__track",
            "submission__current_version",
            "appeal",
        ),
        see="judging.screen_review",
        pk=review_id,
        round_id=round_id,
    )
    open_for_screening = review.round.is_open_at()
    mine = ScreeningDecision.objects.filter(
        round_id=review.round_id, submission_id=review.submission_id, screener=request.user
    ).first()
    status = 200
    if request.method == "POST":
        form = ScreeningForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _decision, _outcome = decide(
                    review=review,
                    by=request.user,
                    verdict=data["verdict"],
                    reason=data["reason"],
                    note=data["note"],
                )
            except Refused as exc:  # JudgingError, NotAllowed, Settled: one shape
                show(request, exc, form=form)
                status = exc.status
            else:
                messages.success(request, _("Decision saved. Thank you."))
                following = _next_review(review)
                return redirect(following or reverse("judging:queue", args=[round_id]))
        else:
            status = 400
    else:
        initial = (
            {"verdict": mine.verdict, "reason": mine.reason, "note": mine.note} if mine else {}
        )
        form = ScreeningForm(initial=initial)
    settled = review.round.screening_outcomes.filter(submission_id=review.submission_id).first()
    return render(
        request,
        "judging/screen.html",
        {
            **_as_submitted(review),
            "review": review,
            "round": review.round,
            "entry": review.submission,
            "form": form,
            "mine": mine,
            "settled": settled,
            "editable": open_for_screening and settled is None,
            "next_url": _next_review(review),
        },
        status=status,
    )


@login_required
def followup(request, pk, round_id):
    """A team answers a round's follow-up form until its deadline (challenge's time zone).

    Only members of a team whose entry is in the round's scope, once staff have asked,
    find the page (anyone else: 404); mentors read it, members answer it.
    """
    round_ = get_object_or_404(Round.objects.select_related("challenge"), pk=round_id)
    submission = get_object_or_404(
        Submission.objects.select_related("challenge", "team"),
        pk=pk,
        challenge_id=round_.challenge_id,
    )
    answers_row = selectors.followup_for(round_, submission)
    if not allowed(request.user, "judging.view_followup", answers_row):
        raise Http404
    questions = selectors.followup_questions(round_, track=submission.track_id)
    can_answer = allowed(request.user, "judging.answer_followup", answers_row)
    is_open = round_.followup_open_at()
    status = 200
    form = build_form(questions, answers=answers_row.answers)
    if request.method == "POST":
        # A mentor sees the page but does not answer: 403, not 404.
        require(request.user, "judging.answer_followup", answers_row)
        submit = request.POST.get("action") == "submit"
        form = build_form(questions, data=request.POST, answers=answers_row.answers)
        if form.is_valid():
            try:
                save_followup(
                    round_=round_,
                    submission=submission,
                    answers=form.answers(),
                    submit=submit,
                    by=request.user,
                )
            except Refused as exc:
                show(request, exc)
                status = exc.status
                answers_row = selectors.followup_for(round_, submission)
                is_open = round_.followup_open_at()
            else:
                messages.success(
                    request,
                    _("Your follow-up answers are sent to the jury.")
                    if submit
                    else _("Draft saved."),
                )
                return redirect(request.path)
        else:
            status = 400
    local_deadline = timezone.localtime(round_.followup_deadline, round_.challenge.tz)
    file_slots = [q for q in questions if q.field_type == EntryFieldType.FILE]
    context = {
        "round": round_,
        "submission": submission,
        "followup": answers_row,
        "form": form,
        "requirements": file_slots,
        "current_files": followup_files(submission, file_slots),
        "upload_form": UploadForm(requirements=file_slots),
        "editable": can_answer and is_open,
        "deadline": local_deadline,
        "zone": zone_label(round_.challenge.time_zone),
        "sent": shown(answers_row.frozen, audience="team"),
    }
    return render(request, "judging/followup.html", context, status=status)


@login_required
def feedback(request, pk, round_id):
    """The team reads its entry's released feedback and may appeal within the window.

    Only the entry's team finds the page, and only once the round's feedback is released
    (anyone else, or before: 404). Mentors read it; members may appeal (POST).
    """
    round_ = get_object_or_404(Round.objects.select_related("challenge"), pk=round_id)
    submission = get_object_or_404(
        Submission.objects.select_related("challenge", "team", "owner"),
        pk=pk,
        challenge_id=round_.challenge_id,
    )
    carrier = EntryFeedback(round=round_, submission=submission)
    if not allowed(request.user, "judging.view_feedback", carrier):
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        require(request.user, "judging.file_appeal", carrier)
        try:
            data = cleaned(form)
            file_appeal(
                round_=round_,
                submission=submission,
                by=request.user,
                reason=data["reason"],
                upload=data.get("file") or None,
            )
        except Refused as exc:
            if not form.errors:
                show(request, exc, form=form)
            status = exc.status
        else:
            messages.success(request, _("Your appeal has been filed."))
            return redirect(request.path)
    appeal = Appeal.objects.filter(round=round_, submission=submission).first()
    deadline = round_.appeal_deadline
    context = {
        "round": round_,
        "submission": submission,
        "feedback": entry_feedback(round_, submission),
        "appeal": appeal,
        "form": form,
        "appeals_open": appeal is None and round_.appeals_open_at(),
        "can_appeal": allowed(request.user, "judging.file_appeal", carrier),
        "appeal_deadline": timezone.localtime(deadline, round_.challenge.tz) if deadline else None,
        "zone": zone_label(round_.challenge.time_zone),
    }
    return render(request, "judging/feedback.html", context, status=status)


# --- pairwise expo judging (docs/judging.md, "Pairwise expo judging") ---------------------
def _expo_round_and_judge(request, round_id):
    round_ = obtain(
        request.user,
        Round.objects.select_related("challenge"),
        see="judging.judge_pairwise",
        pk=round_id,
    )
    return round_, pairwise.judge_of(round_, request.user)


def _entry_with_table(visit, tables):
    if visit is None:
        return None
    return {
        "id": visit.submission_id,
        "title": visit.submission.title,
        "table": tables.get(visit.submission_id),
        "visit": visit.pk,
    }


@login_required
def expo(request, round_id, *, status=200):
    """A judge's page of a pairwise round: the table to walk to, and the question."""
    round_, juror = _expo_round_and_judge(request, round_id)
    state = pairwise.walk(round_, juror)
    return render(
        request,
        "judging/expo.html",
        {
            "round": round_,
            "state": state,
            "current": _entry_with_table(state.current, state.tables),
            "previous": _entry_with_table(state.previous, state.tables),
            "open": round_.is_open_at(),
        },
        status=status,
    )


def _posted_id(request, name):
    """A posted row id, or ``None`` for anything a database id cannot be."""
    try:
        value = int(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if 1 <= value < 2**31 else None


@login_required
@require_POST
def expo_answer(request, round_id):
    """One step of the walk: ``start``, ``seen`` (first table), ``compare`` (``winner``
    of ``a`` and ``b``), ``skip``. A refused step shows the page again with the reason."""
    round_, juror = _expo_round_and_judge(request, round_id)
    action = request.POST.get("action")
    try:
        if action == "start":
            pairwise.start(round_=round_, juror=juror, by=request.user)
        elif action == "seen":
            pairwise.mark_seen(
                round_=round_, juror=juror, by=request.user, visit_id=_posted_id(request, "visit")
            )
        elif action == "skip":
            pairwise.skip(
                round_=round_, juror=juror, by=request.user, visit_id=_posted_id(request, "visit")
            )
        elif action == "compare":
            winner = _posted_id(request, "winner")
            pair = [_posted_id(request, "a"), _posted_id(request, "b")]
            if winner not in pair:
                raise JudgingError(
                    _("You were not sent to compare these two projects."), code="expo_not_sent"
                )
            loser = pair[1] if winner == pair[0] else pair[0]
            pairwise.compare(
                round_=round_, juror=juror, by=request.user, winner_id=winner, loser_id=loser
            )
            messages.success(request, _("Thank you. Your answer is saved."))
        else:
            raise JudgingError(_("Choose what to do."), code="expo_no_action")
    except Refused as exc:
        show(request, exc)
        return expo(request, round_id, status=exc.status)
    return redirect("judging:expo", round_id=round_.id)
