"""Reminders about milestones and reports, at most one per thing per day."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications import events
from notifications.services import notify
from submissions.enums import MemberRole

from ..enums import MilestoneStatus, ReminderKind, StageKind
from ..models import Cohort, Milestone, ProgressReport, Project, Reminder

DUE_SOON_DAYS = 3


def team_members(project):
    User = get_user_model()
    return list(
        User.objects.filter(
            Q(pk=project.owner_id)
            | Q(team_memberships__team_id=project.team_id, team_memberships__role=MemberRole.MEMBER)
        ).distinct()
        if project.team_id
        else User.objects.filter(pk=project.owner_id)
    )


def _once(**fields):
    """Claim the reminder for today; False when it was already sent (idempotence)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def send_reminders(*, now=None):
    """Queue reminders for milestones due within 3 days or overdue, and missing reports.

    "Today" is each cohort's own calendar day. Running it again on the same day sends
    nothing new. Side effects: ``Reminder`` rows and notifications (the outbox delivers
    them after commit). Returns the number of reminders queued.
    """
    now = now or timezone.now()
    sent = 0
    active = Q(stage__kind=StageKind.ACTIVE)
    for cohort in Cohort.objects.filter(projects__isnull=False).distinct():
        today = cohort.today(now)
        if today > cohort.ends_on + dt.timedelta(days=31):
            continue
        milestones = (
            Milestone.objects.filter(project__cohort=cohort)
            .filter(project__in=Project.objects.filter(active))
            .exclude(status=MilestoneStatus.DONE)
            .filter(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
            .select_related("project", "owner")
        )
        for milestone in milestones:
            overdue = milestone.due_on < today
            kind = ReminderKind.MILESTONE_OVERDUE if overdue else ReminderKind.MILESTONE_DUE
            with transaction.atomic():
                if not _once(kind=kind, project=milestone.project, milestone=milestone, day=today):
                    continue
                recipients = team_members(milestone.project)
                if milestone.owner and milestone.owner not in recipients:
                    recipients.append(milestone.owner)
                if overdue:
                    recipients += [
                        m for m in milestone.project.mentors.all() if m not in recipients
                    ]
                notify(
                    event=events.MILESTONE_OVERDUE if overdue else events.MILESTONE_DUE,
                    recipients=recipients,
                    context={
                        "project": milestone.project.title,
                        "milestone": milestone.title,
                        "due_on": milestone.due_on.isoformat(),
                    },
                    obj=milestone,
                )
                sent += 1
        due = cohort.last_due_period(today)
        if due is None:
            continue
        reported = ProgressReport.objects.filter(period_start=due).values("project_id")
        missing = cohort.projects.filter(active).exclude(pk__in=reported)
        for project in missing:
            with transaction.atomic():
                if not _once(
                    kind=ReminderKind.REPORT_MISSING, project=project, period_start=due, day=today
                ):
                    continue
                notify(
                    event=events.REPORT_MISSING,
                    recipients=team_members(project),
                    context={"project": project.title, "period": due.isoformat()},
                    obj=project,
                )
                sent += 1
    return sent
