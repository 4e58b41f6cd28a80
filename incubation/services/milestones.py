from django.db import transaction
from django.utils import timezone

from core.access import require
from core.audit import record
from core.enums import FileStatus

from ..enums import MilestoneStatus
from ..models import Milestone, ProjectFile
from . import files as project_files


@transaction.atomic
def add_milestone(*, project, title, due_on, by, description="", owner=None):
    """Side effects: an audit entry ``incubation.milestone.added``."""
    require(by, "incubation.manage_project", project, platform=True)
    milestone = Milestone.objects.create(
        project=project, title=title, due_on=due_on, description=description, owner=owner
    )
    record(action="incubation.milestone.added", obj=milestone, by=by, due_on=str(due_on))
    return milestone


def update_milestone(*, milestone, status, by, evidence="", files=(), uploaded=()):
    """Set a milestone's status and add evidence (text and files stored in S3).

    Files are checked and stored first: a refused file raises ``UploadRejected`` and
    changes nothing. Side effects: ``ProjectFile`` rows, an audit entry
    ``incubation.milestone.updated``.
    """
    require(by, "incubation.update_milestone", milestone.project, platform=True)
    stored = project_files.store_uploads(project=milestone.project, files=list(files))
    try:
        with transaction.atomic():
            locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
            previous = locked.status
            locked.status = MilestoneStatus(status)
            if evidence:
                locked.evidence = evidence
            if locked.status == MilestoneStatus.DONE and locked.completed_at is None:
                locked.completed_at = timezone.now()
            elif locked.status != MilestoneStatus.DONE:
                locked.completed_at = None
            locked.save(update_fields=["status", "evidence", "completed_at"])
            _attach(stored, project=locked.project, milestone=locked, by=by)
            claimed = project_files.claim_uploads(project=locked.project, ids=uploaded, by=by)
            ProjectFile.objects.filter(pk__in=[f.pk for f in claimed]).update(milestone=locked)
            record(
                action="incubation.milestone.updated",
                obj=locked,
                by=by,
                old=previous,
                new=locked.status,
                files=len(stored) + len(claimed),
            )
    except Exception:
        project_files.discard(stored)
        raise
    return locked


def _attach(stored, *, project, by, milestone=None, report=None):
    now = timezone.now()
    ProjectFile.objects.bulk_create(
        ProjectFile(
            project=project,
            milestone=milestone,
            report=report,
            status=FileStatus.VERIFIED,
            uploaded_by=by,
            verified_at=now,
            **item,
        )
        for item in stored
    )
