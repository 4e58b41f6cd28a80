"""The programme dashboard and the partners' reports in the Wagtail admin: thin;
:mod:`reporting.aggregates` counts, :mod:`reporting.services.reports` makes the reports.

Staff see only the challenges they manage (:func:`challenges.selectors.managed_by`): a
challenge outside that scope — in the address or in ``?challenge=`` — answers 404, and so
does a report of such a challenge (rule ``reporting.manage_report``).
"""

from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from challenges.models import Challenge
from challenges.selectors import managed_by
from core import exports as tabular
from core.access import obtain
from core.errors import Refused, show

from . import aggregates, charts
from .filters import DashboardFilter
from .forms import ReportForm
from .models import ReportJob
from .services import reports as report_service

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
        "report_form": ReportForm(initial={"language": _language()}) if challenge else None,
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


# --- the partners' report ----------------------------------------------------------------
def _language():
    language = (get_language() or "uz").split("-")[0]
    return language if language in report_service.LANGUAGES else "uz"


@require_http_methods(["GET", "POST"])
def reports(request, challenge_id):
    """A challenge's reports for partners: ask for one (POST), see the earlier ones."""
    challenge = obtain(request.user, Challenge, see="challenges.manage_challenge", pk=challenge_id)
    form = ReportForm(request.POST or None, initial={"language": _language()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = report_service.start(
                    challenge=challenge, language=form.cleaned_data["language"], by=request.user
                )
            except Refused as exc:
                show(request, exc, form=form)
            else:
                return redirect("reporting_admin:report", pk=job.pk)
        status = 400
    context = {
        "challenge": challenge,
        "form": form,
        "jobs": list(challenge.report_jobs.select_related("created_by")[:20]),
    }
    return render(request, "reporting/admin/reports.html", context, status=status)


def _job(request, pk):
    return obtain(
        request.user,
        ReportJob.objects.select_related("challenge", "created_by"),
        see="reporting.manage_report",
        pk=pk,
    )


def report(request, pk):
    """One report: its progress while it is made, then its two downloads."""
    job = _job(request, pk)
    context = {
        "job": job,
        "challenge": job.challenge,
        "progress": report_service.progress(job),
        "progress_url": reverse("reporting_admin:report_progress", kwargs={"pk": job.pk}),
    }
    return render(request, "reporting/admin/report.html", context)


def report_progress(request, pk):
    return JsonResponse(report_service.progress(_job(request, pk)))


def report_download(request, pk, fmt):
    """A presigned link to the report's PDF or XLSX (404 until it is ready)."""
    job = _job(request, pk)
    url = report_service.download_url(job=job, fmt=fmt, by=request.user)
    if url is None:
        raise Http404
    return redirect(url)
