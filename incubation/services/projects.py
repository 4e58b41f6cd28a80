from django.db import transaction
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from submissions.enums import MemberRole, SubmissionStatus
from submissions.models import Submission, TeamMembership
from submissions.services.status import change_status

from ..enums import StageKind
from ..models import Project, ProjectLink, StageChange, Support
from ..selectors import INCUBATABLE
from . import IncubationError


@transaction.atomic
def incubate_submission(*, cohort, submission, by):
    """Create an incubated project from a winning or finalist ``submission``.

    Carries over the team, title, summary and region (the owner's); the team's mentors
    become the project's mentors; the project starts in the cohort's first stage.
    Side effects: the submission's status becomes "incubated" (with its own history,
    audit entry and notification), a ``StageChange`` row, an audit entry
    ``incubation.project.created``.
    """
    require(by, "incubation.manage_cohort", cohort, platform=True)
    locked = Submission.objects.select_for_update().select_related("owner").get(pk=submission.pk)
    if locked.status not in INCUBATABLE:
        raise IncubationError(_("Only winning and finalist entries can be incubated."))
    if Project.objects.filter(submission=locked).exists():
        raise IncubationError(_("This entry is already incubated."))
    if not locked.challenge.cohorts.filter(pk=cohort.pk).exists():
        raise IncubationError(_("This entry's challenge is not part of the cohort."))
    first = cohort.stages.filter(kind=StageKind.ACTIVE).order_by("sort_order", "id").first()
    if first is None:
        raise IncubationError(_("The cohort has no stages yet."))
    profile = getattr(locked.owner, "profile", None)
    project = Project.objects.create(
        cohort=cohort,
        submission=locked,
        challenge_id=locked.challenge_id,
        team_id=locked.team_id,
        owner=locked.owner,
        region_id=profile.region_id if profile else None,
        title=locked.title,
        # The default form's questions, by the names the old fixed fields had.
        summary=str(locked.answer("summary"))[:2000],
        stage=first,
        created_by=by,
    )
    if locked.team_id:
        mentors = TeamMembership.objects.filter(team_id=locked.team_id, role=MemberRole.MENTOR)
        project.mentors.set([m.user_id for m in mentors])
    for label, url in (
        (_("Repository"), locked.answer("repository_url")),
        (_("Prototype"), locked.answer("prototype_url")),
        (_("Demo video"), locked.answer("video_url")),
    ):
        if url:
            ProjectLink.objects.create(project=project, label=label, url=url)
    StageChange.objects.create(project=project, from_stage=None, to_stage=first, by=by)
    change_status(submission=locked, status=SubmissionStatus.INCUBATED, by=by)
    record(action="incubation.project.created", obj=project, by=by, submission=locked.pk)
    return project


@transaction.atomic
def incubate_submissions(*, cohort, submissions, by):
    """Incubate several entries in one action; all or nothing."""
    return [incubate_submission(cohort=cohort, submission=s, by=by) for s in submissions]


@transaction.atomic
def move_project(*, project, stage, by, note=""):
    """Move ``project`` to ``stage`` of its cohort.

    Side effects: a ``StageChange`` row, an audit entry ``incubation.project.moved``.
    Moving to the current stage records nothing.
    """
    require(by, "incubation.manage_project", project, platform=True)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if stage.cohort_id != locked.cohort_id:
        raise IncubationError(_("That stage belongs to another cohort."))
    if locked.stage_id == stage.pk:
        return locked
    previous = locked.stage_id
    locked.stage = stage
    locked.save(update_fields=["stage"])
    StageChange.objects.create(
        project=locked, from_stage_id=previous, to_stage=stage, by=by, note=note
    )
    record(
        action="incubation.project.moved", obj=locked, by=by, old=previous, new=stage.pk, note=note
    )
    project.stage = stage
    return locked


@transaction.atomic
def assign_mentor(*, project, mentor, by):
    """Side effects: an audit entry ``incubation.mentor.assigned``."""
    require(by, "incubation.manage_project", project, platform=True)
    project.mentors.add(mentor)
    record(action="incubation.mentor.assigned", obj=project, by=by, mentor=mentor.pk)


@transaction.atomic
def remove_mentor(*, project, mentor, by):
    """Side effects: an audit entry ``incubation.mentor.removed``."""
    require(by, "incubation.manage_project", project, platform=True)
    project.mentors.remove(mentor)
    record(action="incubation.mentor.removed", obj=project, by=by, mentor=mentor.pk)


@transaction.atomic
def record_support(*, project, kind, title, given_on, by, amount=None, currency="UZS", note=""):
    """Record a grant tranche, a training or in-kind help.

    Side effects: an audit entry ``incubation.support.recorded``.
    """
    require(by, "incubation.manage_project", project, platform=True)
    support = Support.objects.create(
        project=project,
        kind=kind,
        title=title,
        given_on=given_on,
        amount=amount,
        currency=currency,
        note=note,
        recorded_by=by,
    )
    record(
        action="incubation.support.recorded",
        obj=support,
        by=by,
        amount=str(amount) if amount is not None else None,
    )
    return support


@transaction.atomic
def add_link(*, project, label, url, by):
    """Side effects: an audit entry ``incubation.link.added``."""
    require(by, "incubation.manage_project", project, platform=True)
    link = ProjectLink.objects.create(project=project, label=label, url=url)
    record(action="incubation.link.added", obj=link, by=by, url=url)
    return link


@transaction.atomic
def record_story(*, project, page_id, by):
    """Remember the success story page made from ``project``.

    Side effects: an audit entry ``incubation.story.created``.
    """
    require(by, "incubation.manage_project", project, platform=True)
    Project.objects.filter(pk=project.pk).update(story_page_id=page_id)
    project.story_page_id = page_id
    record(action="incubation.story.created", obj=project, by=by, page=page_id)
    return project
