"""The staff judging dashboard inside the Wagtail admin. Thin: selectors and services do the work.

Every view scopes its objects to the challenges the user manages; others answer 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from challenges.models import Challenge
from challenges.selectors import managed_by
from core import exports as tabular
from core.access import obtain, require
from core.errors import Refused, show
from core.forms import cleaned
from core.models import AuditEntry
from core.pagination import paginate
from submissions.services.answers import shown

from . import selectors
from .enums import (
    CommentState,
    ConflictKind,
    CutRule,
    Flag,
    JurorStatus,
    ReviewState,
    RoundMode,
)
from .filters import RankingFilter
from .forms import (
    AdvanceForm,
    AppealDecisionForm,
    AssignJurorForm,
    BoundaryForm,
    ConflictForm,
    ConflictJurorForm,
    CriterionFormSet,
    CutForm,
    ExpoTableForm,
    InviteForm,
    ModerateForm,
    RemindForm,
    RereviewForm,
    ReviewPickForm,
    RoundForm,
    ScreeningListForm,
    StaffScreeningForm,
)
from .models import (
    Appeal,
    FeedbackComment,
    FollowUpAnswers,
    Juror,
    Review,
    Round,
    Score,
    ScoreChange,
)
from .rules import appeal_exclusion
from .services import JudgingError, exports, pairwise, uncertainty
from .services.appeals import decide_appeal, file_url, request_rereview
from .services.assignments import add_assignment, auto_assign, remind_jurors, remove_assignment
from .services.boundary import (
    add_boundary_reviews,
    parse_plan,
    plan_boundary_reviews,
    plan_text,
    set_cut,
)
from .services.feedback import collect_comments, moderate, releasable, release_feedback
from .services.followups import request_followup
from .services.jurors import declare_conflict, invite_juror
from .services.reviews import reopen_review
from .services.rounds import (
    advance_entries,
    lock_round,
    open_round,
    publish_round,
    save_round,
)
from .services.screening import staff_decide
from .templatetags.scores import format_score

#: Jurors with unfinished reviews this close to the round's end count as overdue.
OVERDUE_WINDOW = timedelta(days=2)


def _round(request, round_id):
    return obtain(
        request.user,
        Round.objects.select_related("challenge"),
        see="challenges.manage_challenge",
        via="challenge",
        pk=round_id,
    )


def _challenge(request, challenge_id):
    return obtain(request.user, Challenge, see="challenges.manage_challenge", pk=challenge_id)


def index(request):
    challenges = list(managed_by(request.user).order_by("-created_at"))
    rounds = list(
        Round.objects.filter(challenge__in=challenges)
        .annotate(
            assigned=Count("reviews", filter=Q(reviews__is_calibration=False)),
            done=Count(
                "reviews",
                filter=Q(reviews__is_calibration=False, reviews__state=ReviewState.SUBMITTED),
            ),
        )
        .order_by("challenge_id", "position")
    )
    for challenge in challenges:
        challenge.round_list = [r for r in rounds if r.challenge_id == challenge.id]
    return render(request, "judging/admin/index.html", {"challenges": challenges})


def round_edit(request, challenge_id, round_id=None):
    challenge = _challenge(request, challenge_id)
    instance = None
    if round_id is not None:
        instance = get_object_or_404(Round, pk=round_id, challenge=challenge)
    form = RoundForm(request.POST or None, instance=instance, challenge=challenge)
    formset = CriterionFormSet(request.POST or None, instance=form.instance, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = save_round(form=form, criteria=formset, by=request.user)
        messages.success(request, _("Round saved."))
        return redirect("judging_admin:round", saved.id)
    return render(
        request,
        "judging/admin/round_form.html",
        {"challenge": challenge, "form": form, "formset": formset, "round": instance},
    )


def dashboard(request, round_id):
    round_ = _round(request, round_id)
    if round_.is_screening:
        return _screening_dashboard(request, round_)
    if round_.is_pairwise:
        return redirect("judging_admin:pairwise", round_.id)
    criteria = list(round_.criteria.all())
    found = selectors.analysis(round_, criteria=criteria)
    packed = found.packed
    filterset = RankingFilter(
        request.GET or None,
        queryset=selectors.entries_in_scope(round_),
        challenge=round_.challenge,
    )
    if filterset.is_bound and filterset.is_valid() and any(filterset.form.cleaned_data.values()):
        shown = set(filterset.qs.values_list("id", flat=True))
        visible = [p for p in packed if found.entry_id(p) in shown]
    else:
        visible = packed
    # Every row is ranked (the method needs every review); only a page of them is shown.
    listing = paginate(request, visible, label=_("Pages of the ranking"), fragment="ranking")
    ranking_html = _ranking_rows_html(
        [found.row(p) for p in listing.rows], reverse("judging_admin:entry", args=[round_.id, 0])
    )
    jurors = selectors.progress(round_, counts=found.progress)
    closing = timezone.now() >= round_.closes_at - OVERDUE_WINDOW
    for juror in jurors:
        juror.stats = found.stats.get(juror.id)
        juror.overdue = closing and juror.done < juror.assigned
    review_flags = selectors.flagged_review_rows(found.flagged)
    context = {
        "round": round_,
        "criteria": criteria,
        "ranking_html": ranking_html,
        "listing": listing,
        "total_rows": len(packed),
        "filter": filterset,
        "jurors": jurors,
        "juror_rows_html": _juror_rows_html(jurors),
        "panel_mean": found.panel_mean,
        "panel_sd": found.panel_sd,
        "chart": _chart(jurors, found.panel_mean),
        "alpha": found.alpha,
        # The flagged reviews shown (each once), by id.
        "review_flags": sorted(
            {r["id"]: r for _count, items in review_flags.values() for r in items}.values(),
            key=lambda r: r["id"],
        ),
        "flag_groups": _flag_groups(
            # Counted over every row; only the ones listed are made into rows.
            disagreements=_first_rows(
                found, [p for p in packed if Flag.DISAGREEMENT in found.flags(p)]
            ),
            outliers=[j for j in jurors if j.stats and j.stats.outlier],
            review_flags=review_flags,
            fast_minutes=round_.fast_review_minutes,
        ),
        "done": sum(j.done for j in jurors),
        "assigned": sum(j.assigned for j in jurors),
        # Its own ids: the ranking filter above has a "status" field too.
        "advance_form": AdvanceForm(round_=round_, auto_id="id_advance_%s"),
        "review_base": reverse("judging_admin:entry", args=[round_.id, 0])[:-2],
    }
    return render(request, "judging/admin/dashboard.html", context)


def _ranking_rows_html(rows, entry_url_zero):
    """The ranking's table rows, built in Python: hundreds of rows through the template
    engine cost most of the page's time (each variable is resolved and localised)."""
    labels = {key: str(label) for key, label in Flag.choices}
    statuses = {}
    base = entry_url_zero[: -len("0/")]
    parts = []
    for row in rows:
        r, e = row.ranked, row.entry
        status = statuses.get(e.status)
        if status is None:
            status = statuses[e.status] = escape(e.get_status_display())
        parts.append(
            f'<tr><td>{r.rank or "—"}</td><td><a href="{base}{e.id}/">{escape(e.title)}</a>'
            f"</td><td>{escape(e.track)}</td><td>{format_score(r.score) or '—'}</td>"
            f"<td>{r.reviews_done}/{r.reviews_expected}</td><td>{status}</td>"
            f"<td>{escape(', '.join(labels[f] for f in r.flags))}</td></tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 -- every value above is escaped


def _juror_rows_html(jurors):
    """The juror table's rows, built in Python like the ranking's (a hundred jurors
    through the template engine cost more than the rest of the page)."""
    remind, overdue, far = (
        escape(text) for text in (_("Remind"), _("overdue"), _("mean far from the panel"))
    )
    parts = []
    for juror in jurors:
        name, s = escape(str(juror)), juror.stats
        flags = (f' <span class="flag">{overdue}</span>' if juror.overdue else "") + (
            f' <span class="flag">{far}</span>' if s and s.outlier else ""
        )
        figures = f"{format_score(s.mean, 1)} ± {format_score(s.sd, 1)}" if s else "—"
        parts.append(
            f'<tr><td><input type="checkbox" name="juror" value="{juror.id}" '
            f'id="remind-{juror.id}"{" checked" if juror.overdue else ""}>'
            f'<label class="w-sr-only" for="remind-{juror.id}">{remind} {name}</label>'
            f"</td><td>{name}{flags}</td><td>{juror.done}/{juror.assigned}</td>"
            f"<td>{figures}</td></tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 -- every value above is escaped


def _first_rows(found, packed):
    """``(how many, the first REVIEW_FLAGS_SHOWN as rows)`` of packed ranking rows."""
    return len(packed), [found.row(p) for p in packed[: selectors.REVIEW_FLAGS_SHOWN]]


def _flag_groups(*, disagreements, outliers, review_flags, fast_minutes):
    """The dashboard's flags grouped by kind, each with its count: disagreement kinds first
    (reviews that disagree, jurors far from the panel), then the per-review kinds (fast, no
    comment) — fifty identical "fast" flags must not bury one disagreement. Each group
    shows its first ``REVIEW_FLAGS_SHOWN`` items and how many more there are (the CSV has
    them all); a review with two flags is listed under both. ``review_flags`` is what
    :func:`selectors.flagged_review_rows` found; ``disagreements`` is ``(how many, the
    first rows)``."""
    groups = [
        (Flag.DISAGREEMENT, Flag.DISAGREEMENT.label, *disagreements),
        (Flag.OUTLIER_JUROR, Flag.OUTLIER_JUROR.label, len(outliers), outliers),
        (
            Flag.FAST,
            _("finished in under %(n)s minutes") % {"n": fast_minutes},
            *review_flags[Flag.FAST],
        ),
        (Flag.NO_COMMENT, Flag.NO_COMMENT.label, *review_flags[Flag.NO_COMMENT]),
    ]
    return [
        {
            "kind": kind,
            "label": label,
            "count": count,
            "items": items[: selectors.REVIEW_FLAGS_SHOWN],
            "more": max(0, count - selectors.REVIEW_FLAGS_SHOWN),
            "disagreement": kind in (Flag.DISAGREEMENT, Flag.OUTLIER_JUROR),
        }
        for kind, label, count, items in groups
        if count
    ]


#: Geometry of the per-juror chart, in SVG units (px at 100 %): the name column on the
#: left, the 0–100 scale over 300 px, and the "mean ± SD (n=…)" text after it. The text
#: column is sized from the longest text (CHAR_WIDTH: a generous average advance of an
#: 11 px sans-serif digit or sign), so "(n=29)" is never cut off at the SVG's edge.
CHART_NAME_WIDTH = 160
CHART_SCALE_WIDTH = 300
CHART_TEXT_GAP = 8
CHART_CHAR_WIDTH = 7


def _chart(jurors, panel_mean):
    """Geometry of the per-juror score chart (inline SVG, no JavaScript): one row per juror,
    a line from their lowest to highest score, a box of ±1 SD around their mean, a tick at
    the mean, and a dashed line at the panel mean. x runs 0–100 over 300 px."""
    rows = []
    for i, juror in enumerate(j for j in jurors if j.stats):
        s = juror.stats
        rows.append(
            {
                "y": 20 + i * 22,
                "label": str(juror),
                "mean": round(s.mean * 3, 1),
                "box_x": round(max(0.0, s.mean - s.sd) * 3, 1),
                "box_w": round((min(100.0, s.mean + s.sd) - max(0.0, s.mean - s.sd)) * 3, 1),
                "low": round(s.low * 3, 1),
                "high": round(s.high * 3, 1),
                "outlier": s.outlier,
                "text": f"{format_score(s.mean, 1)} ± {format_score(s.sd, 1)} (n={s.done})",
            }
        )
    text_x = CHART_SCALE_WIDTH + CHART_TEXT_GAP
    longest = max((len(r["text"]) for r in rows), default=0)
    return {
        "rows": rows,
        "text_x": text_x,
        "width": CHART_NAME_WIDTH + text_x + longest * CHART_CHAR_WIDTH + CHART_TEXT_GAP,
        "name_width": CHART_NAME_WIDTH,
        "height": 30 + 22 * len(rows),
        "panel": round(panel_mean * 3, 1) if panel_mean is not None else None,
    }


def entry(request, round_id, entry_id):
    """One entry: scores by criterion and juror, the audit trail, assignments."""
    round_ = _round(request, round_id)
    submission = get_object_or_404(
        selectors.entries_in_scope(round_).select_related("track", "team")
        | round_.calibration_entries.select_related("track", "team"),
        pk=entry_id,
    )
    criteria = list(round_.criteria.all())
    reviews = list(
        Review.objects.filter(round=round_, submission=submission)
        .select_related("juror__user")
        .order_by("juror__email")
    )
    values = {
        (s.review_id, s.criterion_id): s
        for s in Score.objects.filter(review__in=reviews).only(
            "review_id", "criterion_id", "value", "comment"
        )
    }
    weighted = {
        (s.juror_id): s.score
        for s in selectors.review_scores(round_, criteria=criteria, submitted_only=False)
        if s.entry_id == submission.id
    }
    table = [
        {
            "review": r,
            "cells": [values.get((r.id, c.id)) for c in criteria],
            "weighted": weighted.get(r.juror_id),
        }
        for r in reviews
    ]
    changes = (
        ScoreChange.objects.filter(review__in=reviews)
        .select_related("criterion", "by", "review__juror")
        .order_by("-at", "-id")
    )
    assigned = {r.juror_id for r in reviews}
    candidates = Juror.objects.filter(
        challenge=round_.challenge,
        status=JurorStatus.ACTIVE,
        confidentiality_signed_at__isnull=False,
    ).exclude(id__in=assigned)
    # Staff read the follow-up as sent, staff-only answers included.
    followup = FollowUpAnswers.objects.filter(
        round=round_, submission=submission, submitted_at__isnull=False
    ).first()
    return render(
        request,
        "judging/admin/entry.html",
        {
            "round": round_,
            "entry": submission,
            "criteria": criteria,
            "table": table,
            "changes": changes,
            "candidates": candidates,
            "followup": followup,
            "followup_answers": shown(followup.frozen if followup else [], audience="staff"),
        },
    )


@require_POST
def entry_action(request, round_id, entry_id):
    round_ = _round(request, round_id)
    submission = get_object_or_404(selectors.entries_in_scope(round_), pk=entry_id)
    action = request.POST.get("action")
    try:
        if action == "add":
            juror = get_object_or_404(
                Juror,
                pk=cleaned(AssignJurorForm(request.POST))["juror"],
                challenge=round_.challenge,
            )
            add_assignment(round_=round_, juror=juror, submission=submission, by=request.user)
            messages.success(request, _("Juror assigned."))
        elif action in ("remove", "reopen"):
            review = get_object_or_404(
                Review,
                pk=cleaned(ReviewPickForm(request.POST))["review"],
                round=round_,
                submission=submission,
            )
            if action == "remove":
                remove_assignment(review=review, by=request.user)
                messages.success(request, _("Assignment removed."))
            else:
                reopen_review(review=review, by=request.user)
                messages.success(request, _("Review reopened."))
        else:
            raise Http404
    except JudgingError as exc:
        show(request, exc)
    except Refused as exc:  # a request the page never sends: the page again, with the reason
        show(request, exc)
        return _with_status(entry(request, round_.id, submission.id), exc.status)
    return redirect("judging_admin:entry", round_.id, submission.id)


def _with_status(response, status):
    response.status_code = status
    return response


@require_POST
def round_action(request, round_id):
    round_ = _round(request, round_id)
    action = request.POST.get("action")
    verbs = {
        "open": (open_round, _("The round is open for scoring.")),
        "lock": (lock_round, _("The round is locked.")),
        "publish": (publish_round, _("The results are published.")),
    }
    try:
        if action in verbs:
            verb, done = verbs[action]
            verb(round_=round_, by=request.user)
            messages.success(request, done)
        elif action == "assign":
            plan = auto_assign(round_=round_, by=request.user)
            messages.success(
                request,
                _("%(added)s assignments added, %(removed)s moved.")
                % {"added": len(plan.add), "removed": len(plan.remove)},
            )
            if plan.short:
                messages.warning(
                    request,
                    _("%(n)s entries lack enough jurors without a conflict of interest.")
                    % {"n": len(plan.short)},
                )
        elif action == "remind":
            ids = cleaned(RemindForm(request.POST))["juror"]
            jurors = list(
                Juror.objects.filter(challenge=round_.challenge, id__in=ids).select_related("user")
            )
            sent = remind_jurors(round_=round_, jurors=jurors, by=request.user)
            messages.success(request, _("Reminder sent to %(n)s jurors.") % {"n": sent})
        elif action == "followup":
            asked = request_followup(round_=round_, by=request.user)
            if asked:
                messages.success(
                    request, _("%(n)s entries were asked for the follow-up.") % {"n": asked}
                )
            else:
                messages.info(request, _("The entries were asked for the follow-up already."))
        elif action == "advance":
            form = AdvanceForm(request.POST, round_=round_)
            if not form.is_valid():
                for error in form.non_field_errors() or [_("Check the advance form.")]:
                    messages.error(request, error)
                return redirect("judging_admin:round", round_.id)
            data = form.cleaned_data
            moved = advance_entries(
                round_=round_,
                by=request.user,
                top_n=data["top_n"],
                threshold=data["threshold"],
                per_track=data["per_track"],
                to_round=data["to_round"],
                status=data["status"] or None,
                mark_others=data["mark_others"],
            )
            messages.success(request, _("%(n)s entries advanced.") % {"n": len(moved)})
        else:
            raise Http404
    except JudgingError as exc:
        show(request, exc)
    except Refused as exc:  # a request the page never sends: the page again, with the reason
        show(request, exc)
        return _with_status(dashboard(request, round_.id), exc.status)
    return redirect("judging_admin:round", round_.id)


def export(request, round_id, what, fmt="csv"):
    """The scores or ranking of a round as CSV (UTF-8 with BOM) or XLSX; docs/judging.md."""
    round_ = _round(request, round_id)
    if what not in exports.kinds_for(round_):
        raise Http404
    columns, rows = exports.table(round_, what)
    return tabular.response(
        fmt, stem=f"round-{round_.id}-{what}", columns=columns, rows=rows, sheet=what
    )


def jurors(request, challenge_id):
    challenge = _challenge(request, challenge_id)
    invite = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    conflict = ConflictForm(
        request.POST if request.POST.get("action") == "conflict" else None, challenge=challenge
    )
    if request.method == "POST":
        if invite.is_bound and invite.is_valid():
            for email in invite.cleaned_data["emails"]:
                invite_juror(challenge=challenge, email=email, by=request.user)
            messages.success(request, _("Invitations sent."))
            return redirect("judging_admin:jurors", challenge.id)
        if conflict.is_bound and conflict.is_valid():
            data = conflict.cleaned_data
            try:
                juror_id = cleaned(ConflictJurorForm(request.POST))["juror"]
                juror = get_object_or_404(Juror, pk=juror_id, challenge=challenge)
                declare_conflict(
                    juror=juror,
                    by=request.user,
                    kind=data["kind"],
                    team=data.get("team"),
                    organisation=data.get("organisation") or "",
                    region=data.get("region"),
                    person=data.get("person") or "",
                    note=data.get("note") or "",
                )
            except Refused as exc:  # JudgingError too: one shape, shown on the form
                show(request, exc, form=conflict)
            else:
                messages.success(request, _("Conflict recorded."))
                return redirect("judging_admin:jurors", challenge.id)
    people = (
        Juror.objects.filter(challenge=challenge)
        .select_related("user")
        .prefetch_related("conflicts__team", "conflicts__region", "expertise")
    )
    return render(
        request,
        "judging/admin/jurors.html",
        {
            "challenge": challenge,
            "people": people,
            "invite": invite,
            "conflict": conflict,
            "kinds": ConflictKind.choices,
        },
        status=400 if invite.errors or conflict.errors else 200,
    )


def _screening_dashboard(request, round_, *, status=200):
    """A screening round's dashboard: progress and counts, the screeners' progress."""
    jurors = selectors.progress(round_)
    return render(
        request,
        "judging/admin/screening_dashboard.html",
        {
            "round": round_,
            "counts": selectors.screening_counts(round_),
            "jurors": jurors,
            "done": sum(j.done for j in jurors),
            "assigned": sum(j.assigned for j in jurors),
        },
        status=status,
    )


def _screening_round(request, round_id):
    round_ = _round(request, round_id)
    if not round_.is_screening:
        raise Http404
    return round_


def screening(request, round_id, *, form=None, status=200):
    """The entries of a screening round, one list at a time (all, open, disagreements,
    eligible, ineligible), with each screener's decision and a form to decide the ticked
    entries at once."""
    round_ = _screening_round(request, round_id)
    chosen = ScreeningListForm(request.GET)
    show = (chosen.cleaned_data.get("show") if chosen.is_valid() else "") or "all"
    entries = selectors.screening_entries(round_, show).values_list(
        "id", "title", "status", "track_id"
    )
    listing = paginate(request, entries, label=_("Pages of the list"))
    return render(
        request,
        "judging/admin/screening.html",
        {
            "round": round_,
            "rows": selectors.screening_rows(round_, listing.rows),
            "listing": listing,
            "show": show,
            "lists": ScreeningListForm.base_fields["show"].choices,
            "counts": selectors.screening_counts(round_),
            "form": form or StaffScreeningForm(),
        },
        status=status,
    )


@require_POST
def screening_decide(request, round_id):
    """Staff decide the ticked entries: eligible, or ineligible with a reason. A malformed
    or refused request changes nothing and shows the list again with the reason (400)."""
    round_ = _screening_round(request, round_id)
    form = StaffScreeningForm(request.POST)
    try:
        data = cleaned(form)
        outcomes = staff_decide(
            round_=round_,
            submissions=data["entries"],
            by=request.user,
            verdict=data["verdict"],
            reason=data["reason"],
            note=data["note"],
        )
    except Refused as exc:
        if not form.errors:
            show(request, exc, form=form)
        return screening(request, round_.id, form=form, status=exc.status)
    messages.success(
        request,
        ngettext("%(n)s entry decided.", "%(n)s entries decided.", len(outcomes))
        % {"n": len(outcomes)},
    )
    back = request.POST.get("show") or "all"
    url = reverse("judging_admin:screening", args=[round_.id])
    if back in selectors.SCREENING_LISTS:
        url += f"?show={back}"
    return redirect(url)


#: The certainty chart shows the places around the cut: this many beyond the last open one.
CERTAINTY_CONTEXT = 5
CERTAINTY_ROWS = 60


def certainty(request, round_id):
    """How sure the ranking is at the round's cut: intervals, probabilities, the open
    places, and extra reviews where they decide (docs/judging.md, "How sure")."""
    round_ = _round(request, round_id)
    if round_.mode != RoundMode.SCORED:
        raise Http404
    cut_form = CutForm(
        request.POST if request.POST.get("action") == "cut" else None,
        initial={
            "rule": round_.cut_rule,
            # A top N reads as a whole number ("6", not "6.00").
            "value": (
                int(round_.cut_value)
                if round_.cut_value is not None
                and round_.cut_rule != CutRule.THRESHOLD
                and round_.cut_value == int(round_.cut_value)
                else round_.cut_value
            ),
            "show_margins": round_.show_margins,
        },
    )
    boundary_form = BoundaryForm(
        request.POST if request.POST.get("action") in ("preview", "confirm") else None
    )
    plan, status = None, 200
    if request.method == "POST":
        try:
            if cut_form.is_bound:
                data = cleaned(cut_form)
                set_cut(
                    round_=round_,
                    rule=data["rule"],
                    value=data["value"],
                    show_margins=data["show_margins"],
                    by=request.user,
                )
                messages.success(request, _("The cut is saved."))
                return redirect("judging_admin:certainty", round_.id)
            data = cleaned(boundary_form)
            if request.POST.get("action") == "confirm":
                reviews = add_boundary_reviews(
                    round_=round_,
                    pairs=parse_plan(request.POST.get("plan")),
                    per_juror=data["per_juror"],
                    by=request.user,
                )
                messages.success(
                    request,
                    ngettext(
                        "%(n)s extra review is assigned; the jurors are notified.",
                        "%(n)s extra reviews are assigned; the jurors are notified.",
                        len(reviews),
                    )
                    % {"n": len(reviews)},
                )
                return redirect("judging_admin:certainty", round_.id)
            plan = plan_boundary_reviews(
                round_=round_, budget=data["budget"], per_juror=data["per_juror"]
            )
            if not plan:
                messages.info(request, _("No entry at the cut has a juror left to add."))
        except Refused as exc:
            show(request, exc)
            status = exc.status
    cut = selectors.cut_of(round_)
    rows, found = selectors.certainty(round_)
    context = {
        "round": round_,
        "cut": cut,
        "cut_form": cut_form,
        "boundary_form": boundary_form,
        "plan": plan,
        "plan_text": plan_text(plan) if plan else "",
        "table": _certainty_rows(rows, found),
        "summary": uncertainty.boundary([r.ranked for r in rows], found) if cut else None,
        "chart": _certainty_chart(rows, found, cut),
        "resamples": uncertainty.RESAMPLES,
        "level": round(uncertainty.LEVEL * 100),
    }
    return render(request, "judging/admin/certainty.html", context, status=status)


def _certainty_rows(rows, found):
    table = []
    for row in rows:
        c = found[row.entry.id]
        table.append(
            {
                "rank": row.ranked.rank,
                "entry": row.entry,
                "score": row.ranked.score,
                "low": c.low,
                "high": c.high,
                "p": c.p_above,
                "above": c.above,
                "uncertain": c.uncertain,
                "reviews": row.ranked.reviews_done,
            }
        )
    return table


def _certainty_chart(rows, found, cut):
    """Geometry of the interval chart (inline SVG): one row per place around the cut, a
    line over the entry's interval, a dot at its score; uncertain ones in the flag colour;
    the cut as a dashed line (a threshold) or a rule under its last place (top N)."""
    ranked = [r for r in rows if r.ranked.rank is not None and found[r.entry.id].low is not None]
    last_open = max((r.ranked.rank for r in ranked if 0 < found[r.entry.id].p_above < 1), default=0)
    shown = ranked[: min(CERTAINTY_ROWS, max(last_open, 10) + CERTAINTY_CONTEXT)]
    items = []
    for i, row in enumerate(shown):
        c = found[row.entry.id]
        items.append(
            {
                "y": 14 + i * 12,
                "rank": row.ranked.rank,
                "low": round(c.low * 3, 1),
                "high": round(c.high * 3, 1),
                "score": round(row.ranked.score * 3, 1),
                "uncertain": c.uncertain,
                "label": f"{row.ranked.rank}. {format_score(c.low, 1)}–{format_score(c.high, 1)}",
            }
        )
    threshold = rule_y = None
    if cut is not None and cut.rule == uncertainty.THRESHOLD:
        threshold = round(cut.value * 3, 1)
    elif cut is not None and cut.rule == uncertainty.TOP and int(cut.value) < len(shown):
        rule_y = 14 + int(cut.value) * 12 - 6
    return {
        "rows": items,
        "height": 24 + 12 * len(items),
        "threshold": threshold,
        "rule_y": rule_y,
        "more": len(ranked) - len(shown),
    }


# Feedback and appeals (docs/judging.md, "Feedback and appeals").


def feedback(request, round_id, *, form=None, status=200):
    """Moderate the round's shared comments (approve, edit, withhold), then release.

    Opening the page takes any newly shared comments into moderation (idempotent). The
    page shows jurors' comments to staff only; the team never sees who wrote one.
    """
    round_ = _round(request, round_id)
    if not round_.is_screening and request.method == "GET":
        collect_comments(round_=round_, by=request.user)
    comments = list(
        FeedbackComment.objects.filter(round=round_)
        .select_related("submission", "criterion")
        .order_by("submission__title", "submission_id", "criterion__position", "id")
    )
    return render(
        request,
        "judging/admin/feedback.html",
        {
            "round": round_,
            "comments": comments,
            "pending": sum(1 for c in comments if c.state == CommentState.PENDING),
            "blocked": releasable(round_),
            "form": form,
        },
        status=status,
    )


@require_POST
def feedback_action(request, round_id):
    """One moderation decision, or ``release``. Refused: the page again with the reason."""
    round_ = _round(request, round_id)
    try:
        if request.POST.get("action") == "release":
            count = release_feedback(round_=round_, by=request.user)
            messages.success(
                request,
                ngettext(
                    "Feedback released to %(n)s entry.",
                    "Feedback released to %(n)s entries.",
                    count,
                )
                % {"n": count},
            )
        else:
            form = ModerateForm(request.POST)
            data = cleaned(form)
            comment = get_object_or_404(FeedbackComment, pk=data["comment"], round=round_)
            moderate(comment=comment, by=request.user, action=data["action"], text=data["text"])
            messages.success(request, _("Comment moderated."))
    except Refused as exc:
        show(request, exc)
        return feedback(request, round_.id, status=exc.status)
    return redirect("judging_admin:feedback", round_.id)


def appeals(request, round_id):
    """The round's appeals and the round's history of decisions (audit entries)."""
    round_ = _round(request, round_id)
    rows = list(
        Appeal.objects.filter(round=round_)
        .select_related("submission", "decided_by")
        .order_by("-filed_at", "id")
    )
    history = list(
        AuditEntry.objects.filter(
            object_type=Round._meta.label_lower,
            object_id=str(round_.pk),
            action__in=[
                "judging.round.published",
                "judging.round.republished",
                "judging.feedback.released",
            ],
        ).order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "judging/admin/appeals.html",
        {"round": round_, "appeals": rows, "history": history},
    )


def _appeal(request, round_id, appeal_id):
    return obtain(
        request.user,
        Appeal.objects.select_related("round__challenge", "submission__team", "submission__owner"),
        see="judging.view_appeal",
        pk=appeal_id,
        round_id=round_id,
    )


def appeal(request, round_id, appeal_id, *, decision=None, rereview=None, status=200):
    """One appeal: the reason, the entry's reviews (staff only), re-review and decision."""
    item = _appeal(request, round_id, appeal_id)
    round_ = item.round
    reviews = list(
        Review.objects.filter(round=round_, submission=item.submission)
        .select_related("juror__user")
        .order_by("id")
    )
    reviewing = {r.juror_id for r in reviews}
    candidates = [
        j
        for j in Juror.objects.filter(
            challenge_id=round_.challenge_id,
            status=JurorStatus.ACTIVE,
            confidentiality_signed_at__isnull=False,
        ).select_related("user")
        if j.id not in reviewing
    ]
    history = AuditEntry.objects.filter(
        object_type=item.submission._meta.label_lower,
        object_id=str(item.submission_id),
        action__startswith="judging.appeal.",
    ).order_by("created_at", "id")
    return render(
        request,
        "judging/admin/appeal.html",
        {
            "round": round_,
            "appeal": item,
            "reviews": reviews,
            "candidates": candidates,
            "excluded": appeal_exclusion(request.user, item),
            "decision": decision or AppealDecisionForm(),
            "rereview": rereview or RereviewForm(),
            "history": history,
        },
        status=status,
    )


@require_POST
def appeal_action(request, round_id, appeal_id):
    """``rereview`` (jurors ticked) or ``decide``. A juror of the entry or a conflicted
    staff member is refused (403); bad input shows the page again (400), nothing changed."""
    item = _appeal(request, round_id, appeal_id)
    decision = rereview = None
    try:
        # Refused here (403 with the reason on the page): the Wagtail admin would turn a
        # bare PermissionDenied into a redirect to its home page.
        require(
            request.user,
            "judging.handle_appeal",
            item,
            message=appeal_exclusion(request.user, item),
        )
        if request.POST.get("action") == "rereview":
            rereview = RereviewForm(request.POST)
            ids = cleaned(rereview)["jurors"]
            jurors = list(
                Juror.objects.filter(challenge_id=item.round.challenge_id, pk__in=ids or [])
            )
            if len(jurors) != len(set(ids or [])):
                raise JudgingError(_("Choose jurors of this challenge."), field="jurors")
            request_rereview(appeal=item, by=request.user, jurors=jurors)
            messages.success(request, _("Re-review requested."))
        else:
            decision = AppealDecisionForm(request.POST)
            data = cleaned(decision)
            decide_appeal(
                appeal=item,
                by=request.user,
                upheld=data["decision"] == "upheld",
                response=data["response"],
                status=data["status"] or None,
            )
            messages.success(request, _("Appeal decided."))
    except Refused as exc:
        show(request, exc)
        return appeal(
            request, round_id, appeal_id, decision=decision, rereview=rereview, status=exc.status
        )
    return redirect("judging_admin:appeal", round_id, appeal_id)


def appeal_file(request, round_id, appeal_id):
    """The appeal's file: a short presigned download link (an attachment, never inline)."""
    item = _appeal(request, round_id, appeal_id)
    if not item.file_key:
        raise Http404
    return redirect(file_url(item))


def pairwise_round(request, round_id, *, form=None, status=200):
    """A pairwise round: the live ranking with its uncertainty, comparisons per project
    and per judge, the agreement with a scored round, and the tables (staff may renumber
    one). POST ``action=table`` sets one entry's table number."""
    round_ = _round(request, round_id)
    if not round_.is_pairwise:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") != "table":
            raise Http404
        form = ExpoTableForm(request.POST, round_=round_)
        try:
            data = cleaned(form)
            pairwise.set_table(
                round_=round_, submission=data["entry"], number=data["number"], by=request.user
            )
        except Refused as exc:
            if not form.errors:
                show(request, exc, form=form)
            request.method = "GET"
            return pairwise_round(request, round_.id, form=form, status=exc.status)
        messages.success(request, _("Table number saved."))
        return redirect("judging_admin:pairwise", round_.id)
    rows = pairwise.ranking(round_)
    return render(
        request,
        "judging/admin/pairwise.html",
        {
            "round": round_,
            "rows": rows,
            "judges": pairwise.judge_rows(round_),
            "agreement": pairwise.scored_agreement(round_, rows),
            "total": sum(r.comparisons for r in rows) // 2,
            "form": form or ExpoTableForm(round_=round_),
        },
        status=status,
    )
