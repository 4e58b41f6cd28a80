"""Incubation's staff pages (board, table, cohort, CSV/XLSX and the small project actions),
inside the Wagtail admin (registered in ``wagtail_hooks``; the admin asks for admin access
first, then each view for the person's scope: 404 outside it).

The team's and mentors' pages are in ``views``; the one access layer decides both.
"""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import exports
from core.access import allowed, obtain
from core.errors import show

from . import kpis as kpi_maths
from . import selectors
from .filters import ProjectFilter
from .forms import (
    IncubateForm,
    LinkForm,
    MentorForm,
    MilestoneForm,
    MoveForm,
    SupportForm,
)
from .models import Cohort, KpiValue, Project, Stage
from .services import IncubationError
from .services import milestones as milestone_services
from .services import projects as project_services
from .services.cohorts import ensure_defaults


def _staff_only(request):
    # The staff pages do not exist for anyone else (404, like an unknown address).
    if not allowed(request.user, "incubation.open_staff_pages"):
        raise Http404


def _staff_project(request, pk):
    return obtain(request.user, Project, see="incubation.manage_project", pk=pk)


def _site_language(request):
    """The language of the project page a staff action was posted from: the admin has no
    language in its addresses, so the page sends it along (and we go back to it)."""
    code = request.POST.get("language")
    return code if code in dict(settings.LANGUAGES) else translation.get_language()


# --- staff ---------------------------------------------------------------------------------
def _chosen_cohort(request):
    cohorts = list(selectors.staff_cohorts(request.user).order_by("-starts_on", "id"))
    wanted = request.GET.get("cohort") or request.POST.get("cohort")
    chosen = next((c for c in cohorts if str(c.pk) == wanted), None)
    if wanted and chosen is None:
        raise Http404
    return cohorts, chosen or (cohorts[0] if cohorts else None)


def board(request):
    """Columns are the cohort's stages; each card moves with a plain form (no JS needed)."""
    _staff_only(request)
    cohorts, cohort = _chosen_cohort(request)
    columns = []
    if cohort is not None:
        stages = list(Stage.objects.filter(cohort=cohort).order_by("sort_order", "id"))
        projects = selectors.annotate_progress(
            list(
                selectors.for_lists(
                    selectors.staff_projects(request.user).filter(cohort=cohort)
                ).order_by("title", "id")
            )
        )
        by_stage = defaultdict(list)
        for project in projects:
            by_stage[project.stage_id].append(project)
        columns = [{"stage": stage, "projects": by_stage[stage.pk]} for stage in stages]
    else:
        stages = []
    return render(
        request,
        "incubation/admin/board.html",
        {
            "heading": _("Incubation board"),
            "current": "board",
            "cohorts": cohorts,
            "cohort": cohort,
            "columns": columns,
            "stages": stages,
        },
    )


@require_POST
def move(request, pk):
    project = _staff_project(request, pk)
    with translation.override(_site_language(request)):
        _move(request, project)
        if request.POST.get("next") == "project":
            return redirect("incubation:project", pk=project.pk)
    return redirect(f"{reverse('incubation_admin:board')}?cohort={project.cohort_id}#project-{pk}")


def _move(request, project):
    form = MoveForm(request.POST, cohort=project.cohort)
    if form.is_valid():
        project_services.move_project(
            project=project,
            stage=form.cleaned_data["stage"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(project)s moved to %(stage)s.")
            % {"project": project.title, "stage": form.cleaned_data["stage"].display_name},
        )
    else:
        messages.error(request, _("Choose a stage of this cohort."))


def _filtered(request):
    cohorts = selectors.staff_cohorts(request.user)
    queryset = selectors.for_lists(
        selectors.staff_projects(request.user)
        .annotate(funding=Sum("support__amount"))
        .order_by("title", "id")
    )
    project_filter = ProjectFilter(request.GET or None, queryset=queryset, cohorts=cohorts)
    return project_filter, selectors.annotate_progress(list(project_filter.qs))


def table(request):
    _staff_only(request)
    project_filter, projects = _filtered(request)
    return render(
        request,
        "incubation/admin/table.html",
        {
            "heading": _("Incubated projects"),
            "current": "table",
            "filter": project_filter,
            "projects": projects,
            "query": request.GET.urlencode(),
        },
    )


PROJECT_COLUMNS = (
    gettext_lazy("Project"),
    gettext_lazy("Team"),
    gettext_lazy("Cohort"),
    gettext_lazy("Stage"),
    gettext_lazy("Region"),
    gettext_lazy("Mentors"),
    gettext_lazy("Late milestones"),
    gettext_lazy("Missing report"),
    gettext_lazy("Funding"),
)


def export_csv(request):
    """The filtered project table as CSV (or XLSX with ``?format=xlsx``), through the one
    tabular writer (formula guard, byte-order mark, numbers as numbers)."""
    _staff_only(request)
    projects = _filtered(request)[1]
    rows = (
        [
            project.title,
            project.team.name if project.team else "",
            project.cohort.display_name,
            project.stage.display_name,
            str(project.region) if project.region else "",
            ", ".join(m.get_full_name() or m.username for m in project.mentors.all()),
            project.late_milestones,
            " ".join(period.isoformat() for period in project.missing_periods),
            Decimal(project.funding or 0).quantize(Decimal("0.01")),
        ]
        for project in projects
    )
    return exports.response(
        exports.requested_format(request, default=exports.CSV),
        stem="incubated-projects",
        columns=PROJECT_COLUMNS,
        rows=rows,
    )


def cohort_detail(request, pk):
    """KPI charts for the whole cohort, missing reports, and the "incubate entries" action."""
    cohort = obtain(request.user, Cohort, see="incubation.manage_cohort", pk=pk)
    ensure_defaults(cohort=cohort)
    kpis = list(cohort.kpis.all())
    rows = KpiValue.objects.filter(report__project__cohort=cohort).values_list(
        "report__project_id", "report__period_start", "kpi__slug", "value"
    )
    totals = kpi_maths.cohort_series(list(rows), [(k.slug, k.aggregation) for k in kpis])
    charts = [
        {
            "kpi": kpi,
            "total": totals[kpi.slug]["total"],
            "points": totals[kpi.slug]["points"],
            "chart": kpi_maths.chart(totals[kpi.slug]["points"]),
        }
        for kpi in kpis
    ]
    projects = selectors.annotate_progress(
        list(
            selectors.for_lists(
                selectors.staff_projects(request.user).filter(cohort=cohort)
            ).order_by("title")
        )
    )
    form = IncubateForm(queryset=selectors.incubatable_submissions(cohort))
    return render(
        request,
        "incubation/admin/cohort.html",
        {
            "heading": cohort.display_name,
            "current": "cohort",
            "cohort": cohort,
            "charts": charts,
            "projects": projects,
            "missing": [p for p in projects if p.report_missing],
            "incubate_form": form,
        },
    )


@require_POST
def incubate(request, pk):
    cohort = obtain(request.user, Cohort, see="incubation.manage_cohort", pk=pk)
    ensure_defaults(cohort=cohort)
    form = IncubateForm(request.POST, queryset=selectors.incubatable_submissions(cohort))
    if form.is_valid():
        try:
            created = project_services.incubate_submissions(
                cohort=cohort, submissions=form.cleaned_data["submissions"], by=request.user
            )
        except IncubationError as exc:
            show(request, exc)
        else:
            messages.success(
                request,
                _("%(count)s project(s) joined the cohort.") % {"count": len(created)},
            )
    else:
        for error in form.errors.get("submissions", []):
            messages.error(request, error)
    return redirect("incubation_admin:cohort", pk=cohort.pk)


def _staff_post(form_class, handler, success):
    """A small POST-only staff action on one project: validate, call, say what happened."""

    @require_POST
    def view(request, pk):
        project = _staff_project(request, pk)
        kwargs = {"project": project} if form_class is MilestoneForm else {}
        with translation.override(_site_language(request)):
            form = form_class(request.POST, **kwargs)
            if form.is_valid():
                handler(project, form.cleaned_data, request.user)
                messages.success(request, success())
            else:
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for error in errors:
                        messages.error(request, f"{label}: {error}" if label else error)
            return redirect("incubation:project", pk=project.pk)

    return view


milestone_add = _staff_post(
    MilestoneForm,
    lambda project, data, by: milestone_services.add_milestone(project=project, by=by, **data),
    lambda: _("The milestone was added."),
)
support_add = _staff_post(
    SupportForm,
    lambda project, data, by: project_services.record_support(project=project, by=by, **data),
    lambda: _("The support was recorded."),
)
mentor_add = _staff_post(
    MentorForm,
    lambda project, data, by: project_services.assign_mentor(
        project=project, mentor=data["user"], by=by
    ),
    lambda: _("The mentor was assigned."),
)
link_add = _staff_post(
    LinkForm,
    lambda project, data, by: project_services.add_link(project=project, by=by, **data),
    lambda: _("The link was added."),
)


def staff_moved(request, rest):
    """The staff pages used to live under /<lang>/incubation/staff/; they are in the
    admin now (the same paths under /admin/incubation/). Old links keep working; the admin
    asks who may open them."""
    target = reverse("incubation_admin:board") + rest
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    return redirect(target, permanent=True)
