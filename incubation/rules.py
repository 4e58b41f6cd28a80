"""Who may do what with an incubated project (the `rules` package).

Staff see projects of the challenges they manage and of the cohorts they run; a mentor
sees the projects they mentor; a team member sees their own team's project.
"""

import rules

from submissions.enums import MemberRole


@rules.predicate
def is_programme_staff(user, project):
    if project is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        project.challenge.managers.filter(pk=user.pk).exists()
        or user.managed_cohorts.filter(pk=project.cohort_id).exists()
    )


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
rules.add_perm("incubation.comment_report", is_project_mentor | is_programme_staff)
rules.add_perm("incubation.update_milestone", is_programme_staff | is_project_member)
