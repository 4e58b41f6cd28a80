"""Who may do what with an incubated project (the `rules` package).

Staff see projects of the challenges they manage and of the cohorts they run; a mentor
sees the projects they mentor; a team member sees their own team's project. The staff
predicates ask the same scopes the staff lists use (``incubation.selectors``), so a list
and an object page always agree. Parts of a project (milestones, reports, files) are
checked as their project (``core.access.obtain(..., via="project")``).
"""

import rules
from django.utils.translation import gettext_lazy as _

from core.access import explain
from submissions.enums import MemberRole

from .selectors import is_programme_staff as runs_a_programme
from .selectors import staff_cohorts, staff_projects


@rules.predicate
def is_programme_staff(user, project):

    if project is None or not user.is_authenticated:
        return False
    return staff_projects(user).filter(pk=project.pk).exists()


@rules.predicate
def is_cohort_staff(user, cohort):

    if cohort is None or not user.is_authenticated:
        return False
    return staff_cohorts(user).filter(pk=cohort.pk).exists()


@rules.predicate
def is_any_programme_staff(user):
    """Runs at least one cohort or manages at least one challenge (the staff pages)."""

    return runs_a_programme(user)


@rules.predicate
def is_project_mentor(user, project):
    if project is None or not user.is_authenticated:
        return False
    return project.mentors.filter(pk=user.pk).exists()


@rules.predicate
def is_project_member(user, project):
    if project is None or not user.is_authenticated:
        return False
    if project.owner_id == user.pk:
        return True
    if project.team_id is None:
        return False
    return project.team.memberships.filter(user=user, role=MemberRole.MEMBER).exists()


can_view = is_programme_staff | is_project_mentor | is_project_member
rules.add_perm("incubation.view_project", can_view)
rules.add_perm("incubation.manage_project", is_programme_staff)
rules.add_perm("incubation.report_progress", is_project_member)
explain(
    "incubation.report_progress",
    _(
        "Progress reports are filed by the project's team. Mentors and staff comment on "
        "each report on the project's page."
    ),
)
rules.add_perm("incubation.comment_report", is_project_mentor | is_programme_staff)
rules.add_perm("incubation.update_milestone", is_programme_staff | is_project_member)
rules.add_perm("incubation.manage_cohort", is_cohort_staff)
rules.add_perm("incubation.open_staff_pages", is_any_programme_staff)
