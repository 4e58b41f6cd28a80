"""Reused reads about incubation, scoped to who is asking."""

from django.db.models import Prefetch, Q

from challenges.selectors import managed_by
from submissions.enums import MemberRole, SubmissionStatus
from submissions.models import Submission, TeamMembership

from .enums import StageKind
from .models import Cohort, KpiDefinition, Milestone, ProgressReport, Project, Stage

INCUBATABLE = [SubmissionStatus.WINNER, SubmissionStatus.FINALIST]


def staff_cohorts(user):
    """Cohorts a staff member runs: theirs, or linked to a challenge they manage."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(
        Q(pk__in=Cohort.objects.filter(managers=user).values("pk"))
        | Q(pk__in=Cohort.objects.filter(challenges__in=managed_by(user)).values("pk"))
    )


def is_programme_staff(user):
    return user.is_authenticated and (
        user.is_superuser or managed_by(user).exists() or user.managed_cohorts.exists()
    )


def staff_projects(user):
    """Projects of the challenges ``user`` manages or the cohorts they run."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(
        Q(challenge_id__in=managed_by(user).values("pk"))
        | Q(cohort_id__in=Cohort.objects.filter(managers=user).values("pk"))
    )


def participant_projects(user):
    """Projects ``user`` mentors or belongs to as a team member."""
    if not user.is_authenticated:
        return Project.objects.none()
    teams = TeamMembership.objects.filter(user=user, role=MemberRole.MEMBER).values("team_id")
    mentored = Project.mentors.through.objects.filter(user=user).values("project_id")
    return Project.objects.filter(Q(owner=user) | Q(team_id__in=teams) | Q(pk__in=mentored))


def visible_projects(user):
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(
        Q(pk__in=staff_projects(user).values("pk"))
        | Q(pk__in=participant_projects(user).values("pk"))
    )


def for_lists(queryset):
    """Everything a board card or a table row shows, in a fixed number of queries."""
    return queryset.select_related(
        "cohort", "stage", "region", "team", "challenge"
    ).prefetch_related(
        "mentors",
        Prefetch(
            "milestones", queryset=Milestone.objects.only("id", "project_id", "due_on", "status")
        ),
        Prefetch(
            "reports", queryset=ProgressReport.objects.only("id", "project_id", "period_start")
        ),
    )


def annotate_progress(projects):
    """Attach ``late_milestones`` and missing report periods to prefetched projects."""
    days = {}
    for project in projects:
        cohort = project.cohort
        if cohort.pk not in days:
            today = cohort.today()
            days[cohort.pk] = (today, cohort.due_periods(today))
        today, due = days[cohort.pk]
        project.late_milestones = sum(1 for m in project.milestones.all() if m.is_late(today))
        reported = {r.period_start for r in project.reports.all()}
        project.missing_periods = [period for period in due if period not in reported]
        project.report_missing = bool(project.missing_periods)
        project.missing_period = project.missing_periods[0] if project.missing_periods else None
    return projects


def project_detail(queryset):
    return queryset.select_related(
        "cohort", "stage", "region", "team", "challenge", "owner", "submission"
    ).prefetch_related(
        "mentors",
        "links",
        "support",
        Prefetch("cohort__stages", queryset=Stage.objects.order_by("sort_order", "id")),
        Prefetch("cohort__kpis", queryset=KpiDefinition.objects.order_by("sort_order", "id")),
        Prefetch("stage_changes__from_stage"),
        Prefetch("stage_changes__to_stage"),
        "stage_changes__by",
        Prefetch(
            "milestones",
            queryset=Milestone.objects.select_related("owner").prefetch_related("files"),
        ),
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.select_related("submitted_by").prefetch_related(
                "values__kpi", "files", "comments__author"
            ),
        ),
    )


def incubatable_submissions(cohort):
    """Winners and finalists of the cohort's challenges not yet incubated anywhere."""
    return (
        Submission.objects.filter(
            challenge__cohorts=cohort,
            status__in=INCUBATABLE,
            incubated_project__isnull=True,
        )
        .select_related("team", "challenge")
        .order_by("challenge_id", "title")
    )


def graduated_entries(challenge):
    """Ids of the challenge's submissions whose incubated project reached a graduated stage."""
    return Project.objects.filter(challenge=challenge, stage__kind=StageKind.GRADUATED).values(
        "submission_id"
    )
