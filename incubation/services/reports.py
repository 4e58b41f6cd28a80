from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record

from ..models import KpiValue, MentorComment, ProgressReport, ProjectFile
from . import IncubationError
from . import files as project_files
from .milestones import _attach


def submit_report(
    *, project, period_start, narrative, by, blockers="", values=None, files=(), uploaded=()
):
    """The team's progress report for one period, with KPI values and attachments.

    ``values`` maps KPI slugs of the project's cohort to numbers (missing KPIs are left
    out). ``files`` stream through Django (no JavaScript); ``uploaded`` are ids of files the
    browser already put in S3 and ``files.confirm_upload`` verified. Files are checked and
    stored first; a refused file or a second report for the same period changes nothing.
    Side effects: ``KpiValue`` and ``ProjectFile`` rows, an audit entry
    ``incubation.report.submitted``.
    """
    require(by, "incubation.report_progress", project, platform=True)
    values = values or {}
    cohort = project.cohort
    if period_start not in cohort.period_starts():
        raise IncubationError(_("Choose one of the cohort's reporting periods."))
    kpis = {k.slug: k for k in cohort.kpis.all()}
    unknown = set(values) - set(kpis)
    if unknown:
        raise IncubationError(_("Unknown KPI: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if ProgressReport.objects.filter(project=project, period_start=period_start).exists():
        raise IncubationError(_("A report for this period has already been submitted."))
    stored = project_files.store_uploads(project=project, files=list(files))
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                project=project,
                period_start=period_start,
                narrative=narrative,
                blockers=blockers,
                submitted_by=by,
            )
            KpiValue.objects.bulk_create(
                KpiValue(report=report, kpi=kpis[slug], value=value)
                for slug, value in values.items()
                if value is not None
            )
            _attach(stored, project=project, report=report, by=by)
            claimed = project_files.claim_uploads(project=project, ids=uploaded, by=by)
            ProjectFile.objects.filter(pk__in=[f.pk for f in claimed]).update(report=report)
            record(
                action="incubation.report.submitted",
                obj=report,
                by=by,
                period=str(period_start),
                files=len(stored) + len(claimed),
            )
    except IntegrityError as exc:
        project_files.discard(stored)
        raise IncubationError(_("A report for this period has already been submitted.")) from exc
    except Exception:
        project_files.discard(stored)
        raise
    return report


@transaction.atomic
def comment_on_report(*, report, body, by):
    """A mentor's (or staff member's) comment on a report.

    Side effects: an audit entry ``incubation.report.commented``.
    """
    require(by, "incubation.comment_report", report.project, platform=True)
    body = body.strip()
    if not body:
        raise IncubationError(_("Write a comment first."))
    comment = MentorComment.objects.create(report=report, author=by, body=body)
    record(action="incubation.report.commented", obj=report, by=by, comment=comment.pk)
    return comment
