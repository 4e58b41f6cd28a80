"""The programme dashboard in the Wagtail admin: thin; :mod:`reporting.aggregates` counts.

Staff see only the challenges they manage (:func:`challenges.selectors.managed_by`): a
challenge outside that scope — in the address or in ``?challenge=`` — answers 404.
"""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from challenges.models import Challenge
from challenges.selectors import managed_by
from core import exports as tabular
from core.access import obtain

from . import aggregates, charts
from .filters import DashboardFilter

#: The charts in page order: (slug, kind of chart).
BAR_FIGURES = (
    "status",
    "track",
    "region",
    "gender",
    "age",
    "district",
    "disability",
    "screening",
    "reviews",
    "certificates",
    "incubation",
)


def _filtered(request, managed, challenge=None):
    """``(filterset, scope or None)`` for the request's filters over ``managed``."""
    data = request.GET.copy() if request.GET else QueryDict(mutable=True)
    if challenge is not None:
        data["challenge"] = str(challenge.pk)
    found = DashboardFilter(data, managed=managed)
    valid = found.form.is_valid() and found.clean_range()
    if not valid:
        if "challenge" in found.form.errors:  # another challenge: not found, as anywhere
            raise Http404
        return found, None
    cleaned = found.form.cleaned_data
    chosen = managed
    if cleaned.get("challenge"):
        chosen = chosen.filter(pk=cleaned["challenge"].pk)
    if cleaned.get("kind"):
        chosen = chosen.filter(kind=cleaned["kind"])
    track = cleaned.get("track")
    if track is not None:
        chosen = chosen.filter(pk=track.challenge_id)
    scope = aggregates.scope_for(
        chosen.prefetch_related(None).only("id", "time_zone", "age_reference_date"),
        since=cleaned.get("since"),
        until=cleaned.get("until"),
        track=track,
        region=cleaned.get("region"),
    )
    return found, scope


def _query_string(request, challenge=None):
    data = request.GET.copy()
    if challenge is not None:
        data["challenge"] = str(challenge.pk)
    return data.urlencode()


def _page(request, challenge=None):
    managed = managed_by(request.user).order_by("-created_at")
    found, scope = _filtered(request, managed, challenge)
    context = {
        "challenge": challenge,
        "filter": found,
        "managed": list(managed.only("id", "title", "title_ru", "title_en")),
        "query": _query_string(request, challenge),
        "title": challenge.display_title if challenge else _("Programme dashboard"),
    }
    status = 200
    if scope is None:
        status = 400
    else:
        board = aggregates.dashboard(scope)
        context.update(
            board=board,
            timeline=charts.line_chart(board.timeline),
            figures=[
                {"figure": figure, "chart": charts.bar_chart(figure)}
                for figure in (board.breakdowns[slug] for slug in BAR_FIGURES)
            ],
        )
    return render(request, "reporting/admin/dashboard.html", context, status=status)


def dashboard(request):
    """Across the challenges the staff member manages (narrowed by the filters)."""
    return _page(request)


def challenge_dashboard(request, challenge_id):
    challenge = obtain(request.user, Challenge, see="challenges.manage_challenge", pk=challenge_id)
    return _page(request, challenge)


def export(request, figure, fmt="csv"):
    """One chart's numbers as CSV or XLSX through the shared writer (same filters)."""
    managed = managed_by(request.user)
    if not managed.exists():
        raise Http404
    _found, scope = _filtered(request, managed)
    if scope is None:
        raise Http404
    if figure == "daily":
        data = aggregates.timeline(scope)
    elif figure in BAR_FIGURES:
        data = aggregates.dashboard(scope).breakdowns[figure]
    else:
        raise Http404
    columns, rows = aggregates.table(data)
    return tabular.response(fmt, stem=f"dashboard-{figure}", columns=columns, rows=rows)
