"""Incubation's section of a person's data (``core.personal_data``): the incubated projects
of their entries, with the progress reports their team wrote. Nothing to erase here: the
names shown come from the profile, which submissions anonymises."""

from submissions.services.personal_data import entries_of

from .models import Project


def export_projects(user):
    projects = (
        Project.objects.filter(submission__in=entries_of(user))
        .select_related("cohort", "stage")
        .prefetch_related("reports")
        .order_by("pk")
    )
    return [
        {
            "title": p.title,
            "summary": p.summary,
            "cohort": str(p.cohort),
            "stage": str(p.stage),
            "reports": [
                {
                    "period_start": r.period_start.isoformat(),
                    "narrative": r.narrative,
                    "blockers": r.blockers,
                    "submitted_at": r.submitted_at.isoformat(),
                }
                for r in p.reports.all()
            ],
        }
        for p in projects
    ]
