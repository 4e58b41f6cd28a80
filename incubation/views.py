"""Incubation pages of teams and mentors (project, reports, milestones, files); the staff
pages are in ``admin_views``, like every app's staff views.

Views stay thin: they scope the object to the person (404 outside it), parse the form and
call a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import allowed, obtain
from core.enums import FileStatus
from core.errors import Refused, as_json, show
from core.forms import cleaned
from core.uploads import UploadRejected
from submissions.forms import UploadSlotForm

from . import kpis as kpi_maths
from . import selectors
from .forms import (
    CommentForm,
    LinkForm,
    MentorForm,
    MilestoneForm,
    MilestoneUpdateForm,
    MoveForm,
    ReportForm,
    SupportForm,
)
from .models import Milestone, ProgressReport, Project, ProjectFile
from .services import IncubationError
from .services import files as project_files
from .services import milestones as milestone_services
from .services import reports as report_services


def _visible_project(request, pk, *, do=None):
    return obtain(request.user, Project, see="incubation.view_project", do=do, pk=pk)


# --- participants and mentors -------------------------------------------------------------
@login_required
def home(request):
    """ "My projects" for team members and mentors; staff also get links to their views."""
    projects = selectors.for_lists(
        selectors.participant_projects(request.user).order_by("title", "id")
    )
    return render(
        request,
        "incubation/home.html",
        {
            "projects": selectors.annotate_progress(list(projects)),
            "is_staff": selectors.is_programme_staff(request.user),
        },
    )


@login_required
def project_detail(request, pk):
    project = obtain(
        request.user,
        selectors.project_detail(Project.objects.all()),
        see="incubation.view_project",
        pk=pk,
    )
    user = request.user
    cohort = project.cohort
    today = cohort.today()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.state = milestone.state_on(today)
    reports = list(project.reports.all())
    kpis = list(cohort.kpis.all())
    rows = [
        (project.pk, report.period_start, value.kpi.slug, value.value)
        for report in reports
        for value in report.values.all()
    ]
    series = kpi_maths.project_series(rows, [(k.slug, k.aggregation) for k in kpis])
    charts = [
        {"kpi": kpi, "chart": kpi_maths.chart(series[kpi.slug]), "points": series[kpi.slug]}
        for kpi in kpis
    ]
    can_manage = allowed(user, "incubation.manage_project", project)
    context = {
        "project": project,
        "cohort": cohort,
        "today": today,
        "milestones": milestones,
        "reports": reports,
        "charts": charts,
        "timeline": _timeline(project, milestones, reports),
        "funding": sum((s.amount or 0) for s in project.support.all()),
        "can_manage": can_manage,
        "can_report": allowed(user, "incubation.report_progress", project),
        "can_comment": allowed(user, "incubation.comment_report", project),
        "can_update_milestones": allowed(user, "incubation.update_milestone", project),
        "missing_periods": _missing_periods(project, reports, today),
    }
    if can_manage:
        context.update(
            move_form=MoveForm(cohort=cohort, initial={"stage": project.stage_id}),
            milestone_form=MilestoneForm(project=project),
            support_form=SupportForm(),
            mentor_form=MentorForm(),
            link_form=LinkForm(),
            story_url=_story_url(project),
        )
    return render(request, "incubation/project.html", context)


def _story_url(project):
    # The success-story action lives in cms (domain apps never import it).
    try:
        return reverse("incubation_story", args=[project.pk])
    except NoReverseMatch:
        return None


def _missing_periods(project, reports, today):
    reported = {r.period_start for r in reports}
    return [p for p in project.cohort.due_periods(today) if p not in reported]


def _timeline(project, milestones, reports):
    """Stages, milestones, reports and support in one list, newest first."""
    tz = project.cohort.tz
    items = []
    for change in project.stage_changes.all():
        items.append(
            {
                "day": timezone.localtime(change.at, tz).date(),
                "kind": "stage",
                "text": _("Moved to %(stage)s") % {"stage": change.to_stage.display_name}
                if change.from_stage
                else _("Started in %(stage)s") % {"stage": change.to_stage.display_name},
                "note": change.note,
            }
        )
    for milestone in milestones:
        day = (
            timezone.localtime(milestone.completed_at, tz).date()
            if milestone.completed_at
            else milestone.due_on
        )
        items.append(
            {
                "day": day,
                "kind": "milestone",
                "text": _("Milestone: %(title)s (%(state)s)")
                % {"title": milestone.title, "state": milestone.state.label},
                "note": "",
            }
        )
    for report in reports:
        items.append(
            {
                "day": timezone.localtime(report.submitted_at, tz).date(),
                "kind": "report",
                "text": _("Progress report for %(period)s")
                % {"period": formats.date_format(report.period_start, "YEAR_MONTH_FORMAT")},
                "note": "",
            }
        )
    for support in project.support.all():
        text = f"{support.get_kind_display()}: {support.title}"
        if support.amount is not None:
            amount = formats.number_format(support.amount, 0, force_grouping=True)
            text += f" — {amount} {support.currency}"
        items.append(
            {"day": support.given_on, "kind": "support", "text": text, "note": support.note}
        )
    return sorted(items, key=lambda item: item["day"], reverse=True)


@login_required
def report_create(request, pk):
    project = _visible_project(request, pk, do="incubation.report_progress")
    cohort = project.cohort
    done = set(project.reports.values_list("period_start", flat=True))
    today = cohort.today()
    periods = [p for p in cohort.period_starts() if p <= today and p not in done]
    if not periods:
        messages.info(request, _("Every period so far has its report. Thank you!"))
        return redirect("incubation:project", pk=project.pk)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        periods=periods,
        initial_period=cohort.last_due_period(today)
        if cohort.last_due_period(today) in periods
        else periods[-1],
    )
    if request.method == "POST" and form.is_valid():
        try:
            report_services.submit_report(
                project=project,
                period_start=form.cleaned_data["period"],
                narrative=form.cleaned_data["narrative"],
                blockers=form.cleaned_data["blockers"],
                values=form.kpi_values(),
                files=form.cleaned_data["attachments"],
                uploaded=form.cleaned_data["uploaded"],
                by=request.user,
            )
        except UploadRejected as exc:
            show(request, exc, form=form, field="attachments")
        except IncubationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your progress report was submitted."))
            return redirect("incubation:project", pk=project.pk)
    return render(request, "incubation/report_form.html", {"project": project, "form": form})


@login_required
def milestone_update(request, pk):
    milestone = obtain(
        request.user,
        Milestone.objects.select_related("project__cohort"),
        see="incubation.view_project",
        do="incubation.update_milestone",
        via="project",
        pk=pk,
    )
    project = milestone.project
    form = MilestoneUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": milestone.status, "evidence": milestone.evidence},
    )
    if request.method == "POST" and form.is_valid():
        try:
            milestone_services.update_milestone(
                milestone=milestone,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
                files=form.cleaned_data["files"],
                uploaded=form.cleaned_data["uploaded"],
                by=request.user,
            )
        except UploadRejected as exc:
            show(request, exc, form=form, field="files")
        else:
            messages.success(request, _("The milestone was updated."))
            return redirect("incubation:project", pk=project.pk)
    return render(
        request,
        "incubation/milestone_form.html",
        {"project": project, "milestone": milestone, "form": form},
    )


@login_required
@require_POST
def report_comment(request, pk):
    report = obtain(
        request.user,
        ProgressReport.objects.select_related("project"),
        see="incubation.view_project",
        do="incubation.comment_report",
        via="project",
        pk=pk,
    )
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            report_services.comment_on_report(
                report=report, body=form.cleaned_data["body"], by=request.user
            )
        except IncubationError as exc:
            show(request, exc)
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(f"{reverse('incubation:project', args=[report.project_id])}#report-{report.pk}")


@login_required
@require_POST
def upload_start(request, pk):
    """Presigned POST for one file the team sends straight to S3 (JSON for the script)."""
    project = _visible_project(request, pk, do="incubation.update_milestone")
    try:
        # The announced size through the same form as entries' upload slots.
        size = cleaned(UploadSlotForm({"size": request.POST.get("size")}))["size"]
        item, post = project_files.start_upload(
            project=project,
            filename=request.POST.get("name", ""),
            content_type=request.POST.get("type", ""),
            size=size,
            by=request.user,
        )
    except Refused as exc:  # a size that is not a number, or a refused type/size
        return as_json(exc)
    return JsonResponse({"id": item.pk, "url": post["url"], "fields": post["fields"]})


@login_required
@require_POST
def upload_confirm(request, pk):
    # Only the person who started an upload confirms it.
    item = obtain(
        request.user,
        ProjectFile.objects.select_related("project").filter(uploaded_by=request.user),
        see="incubation.view_project",
        via="project",
        pk=pk,
    )
    try:
        project_files.confirm_upload(project_file=item)
    except UploadRejected as exc:
        return JsonResponse({"error": f"{item.original_name}: {exc.reason}"}, status=400)
    return JsonResponse({"id": item.pk, "name": item.original_name, "size": item.size})


@login_required
def file_download(request, pk):
    # Only a file whose upload was confirmed and checked is ever handed out: a pending or
    # rejected one answers 404, like a file that does not exist.
    item = obtain(
        request.user,
        ProjectFile.objects.select_related("project").filter(status=FileStatus.VERIFIED),
        see="incubation.view_project",
        via="project",
        pk=pk,
    )
    return redirect(project_files.download_url(item))
