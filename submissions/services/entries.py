"""Entries: start, save a draft, submit (freeze a version), withdraw."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.enums import EntryFieldType, FormStage
from challenges.models import EntryField
from challenges.selectors import file_questions
from challenges.services.eligibility import check_entry, rules_for
from core.access import allowed
from core.audit import record
from core.i18n import every_language
from notifications import events
from notifications.services import notify

from ..enums import FileStatus, MemberRole, SubmissionStatus
from ..models import Submission, SubmissionVersion, TeamMembership
from .answers import freeze, kept_answers, questions_for, submit_problems
from .deadlines import deadline_of, ensure_open
from .eligibility import Standing, ensure_may_start, excused_user_ids, may_start
from .errors import ActionRefused, NotAllowed
from .profiles import applicant, profile_of, profile_problems
from .status import change_status, team_recipients

__all__ = ["Standing", "may_start"]  # the one eligibility answer, also asked from here

#: The entry's own fields besides the answers to its challenge's form.
DRAFT_FIELDS = ["title"]


def _ensure_editor(submission, by):
    # The rule "submissions.edit_entry": members (not mentors) of the team, or the owner.
    if not allowed(by, "submissions.edit_entry", submission):
        raise NotAllowed(_("Only the team's members can change this entry."))


@transaction.atomic
def start_entry(*, challenge, by, team=None):
    """The team's (or ``by``'s individual) entry, created as an empty draft if missing.

    A new entry is only created for someone ``may_start`` lets in (or staff excused).
    Side effects: audit ``submissions.entry.started`` when created.
    """
    ensure_open(challenge)
    if team is not None:
        if not TeamMembership.objects.filter(team=team, user=by).exists():
            raise ActionRefused(_("Only the team's members can change this entry."))
        existing = Submission.objects.filter(challenge=challenge, team=team).first()
        title = team.name
    else:
        if not challenge.individual_entries:
            raise ActionRefused(_("Individual entries are not accepted; enter as a team."))
        if TeamMembership.objects.filter(challenge=challenge, user=by).exists():
            raise ActionRefused(_("You are in a team for this challenge: enter with your team."))
        existing = Submission.objects.filter(
            challenge=challenge, owner=by, team__isnull=True
        ).first()
        title = ""
    if existing is not None:
        return existing
    ensure_may_start(by, challenge, individual=team is None)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                challenge=challenge, team=team, owner=team.lead if team else by, title=title
            )
    except IntegrityError:
        return Submission.objects.get(challenge=challenge, team=team) if team else None
    record(action="submissions.entry.started", obj=submission, by=by)
    return submission


@transaction.atomic
def save_draft(*, submission, data, by, track=None, answers=None):
    """Save the draft: ``data`` holds DRAFT_FIELDS, ``answers`` the cleaned answers of the
    challenge's form (:meth:`AnswerForm.answers`; ``None`` leaves the answers as they are).
    Answers to questions the form no longer asks (archived, another track) are kept; a
    question it asks but left empty — or did not ask because its condition is unmet — loses
    its old answer. The submitted version is kept.

    Picking another track asks ``may_start`` for every member under the track's rules (a
    girls-only track refuses a boy's team) and refuses without saving anything.
    Side effects: audit ``submissions.entry.saved``.
    """
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if track is not None or "track" in data:
        new_track = track if track is not None else data.get("track")
        if new_track is not None and getattr(new_track, "pk", None) != locked.track_id:
            for user in _people(locked)["members"]:
                ensure_may_start(user, locked.challenge, new_track)
        locked.track = new_track
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(locked, name, data[name] or "")
    if answers is not None:
        asked = questions_for(locked.challenge, track=locked.track_id)
        locked.answers = {**kept_answers(asked, locked.answers), **answers}
    locked.save()
    record(action="submissions.entry.saved", obj=locked, by=by)
    return locked


def _asked_ever(submission):
    """Every question an entry in ``submission``'s track is or was asked (archived too)."""
    return questions_for(submission.challenge, track=submission.track_id, include_archived=True)


def snapshot(submission, *, asked=None):
    """The fields, answers (with their labels as asked) and verified files of a draft as
    plain JSON: what a submitted version freezes. ``asked``: ``_asked_ever(submission)``
    when the caller has it already."""
    data = {name: getattr(submission, name) for name in DRAFT_FIELDS}
    data["track"] = submission.track.slug if submission.track_id else ""
    questions = asked if asked is not None else _asked_ever(submission)
    data["answers"] = freeze(questions, submission.answers or {})
    return data, file_refs(entry_files(submission))


def file_refs(files):
    """Verified files as the plain JSON a frozen version (or follow-up) keeps of them."""
    return [
        {
            "id": f.pk,
            "kind": f.kind,
            "key": f.key,
            "name": f.original_name,
            "content_type": f.content_type,
            "size": f.size,
            "sha256": f.sha256,
        }
        for f in files
    ]


def entry_files(submission):
    """The verified files of the entry itself: not those sent with a round's follow-up."""
    followup_kinds = EntryField.objects.filter(
        challenge_id=submission.challenge_id,
        stage=FormStage.FOLLOWUP,
        field_type=EntryFieldType.FILE,
    ).values("file_kind")  # archived questions too: their files never were the entry's
    return submission.files.filter(status=FileStatus.VERIFIED, removed_at__isnull=True).exclude(
        kind__in=followup_kinds
    )


def _said(data, files):
    """What an entry says, without the labels it was asked with: a form edited after a
    submit is not a change the team made."""
    answers = {item["key"]: item["value"] for item in data.get("answers", [])}
    return data.get("title"), data.get("track"), answers, files


def missing_files(submission, questions):
    """A problem for each required file question of ``questions`` with no verified file."""
    verified = set(
        submission.files.filter(status=FileStatus.VERIFIED, removed_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    return [
        _("A file is missing: %(kind)s.") % {"kind": question.get_kind_display()}
        for question in questions
        if question.field_type == EntryFieldType.FILE
        and question.required
        and question.kind not in verified
    ]


def has_unsubmitted_changes(submission):
    """Whether the draft differs from the version jurors see (``False`` before any submit)."""
    current = submission.current_version
    if current is None:
        return False
    return _said(current.data, current.files) != _said(*snapshot(submission))


def problems(submission, *, asked=None):
    """Everything that stops ``submission`` from being submitted, in the user's language.
    ``asked``: ``_asked_ever(submission)`` when the caller has it already (the questions
    still asked are those not archived)."""
    challenge = submission.challenge
    asked = asked if asked is not None else _asked_ever(submission)
    found = []
    if not submission.title.strip():
        found.append(_("The entry needs a title."))
    if challenge.tracks.exists() and submission.track_id is None:
        found.append(_("Please choose a track."))
    found.extend(
        submit_problems(
            [q for q in asked if not q.archived],
            submission.answers or {},
        )
    )
    found.extend(missing_files(submission, file_questions(challenge)))
    users = _people(submission)
    deadline = deadline_of(challenge)
    on = timezone.localtime(deadline, challenge.tz).date() if deadline else None
    for user in users["members"]:
        found.extend(profile_problems(profile_of(user), name=applicant(user).name, on=on))
    rules = rules_for(challenge, submission.track)
    # Staff's exceptions waive the person rules for those people; they still count.
    excused = excused_user_ids(challenge, [u.pk for u in users["members"]])
    verdict = check_entry(
        rules,
        [applicant(u) for u in users["members"] if u.pk not in excused],
        mentors=len(users["mentors"]),
        is_team=submission.team_id is not None,
        size=len(users["members"]),
    )
    found.extend(verdict.reasons)
    return found


def _people(submission):
    if submission.team_id is None:
        return {"members": [submission.owner], "mentors": []}
    memberships = TeamMembership.objects.filter(team_id=submission.team_id).select_related(
        "user__profile__region"
    )
    people = {"members": [], "mentors": []}
    for membership in memberships:
        key = "mentors" if membership.role == MemberRole.MENTOR else "members"
        people[key].append(membership.user)
    return people


@transaction.atomic
def submit_entry(*, submission, by):
    """Freeze the draft as a new version — the one jurors judge.

    The row is locked, so concurrent submits queue; a submit that would repeat the current
    version exactly returns it instead of creating another.
    Side effects: a ``SubmissionVersion``, status → submitted (``change_status``), audit
    ``submissions.entry.submitted``, a ``submission.received`` (first time) or
    ``submission.version_submitted`` notification to the team.
    """
    # Lock the row alone, then read it afresh: on PostgreSQL a locking query that waited
    # re-checks only the locked row, so rows joined in the same statement could be stale.
    Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk").get()
    locked = Submission.objects.select_related("challenge", "track", "current_version").get(
        pk=submission.pk
    )
    _ensure_editor(locked, by)
    ensure_open(locked.challenge)
    if locked.status not in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.WITHDRAWN,
    ):
        raise ActionRefused(_("This entry is being assessed and can no longer be changed."))
    asked = _asked_ever(locked)  # one read of the form for the checks and the freeze
    found = problems(locked, asked=asked)
    if found:
        raise ActionRefused(" ".join(str(p) for p in found))
    data, files = snapshot(locked, asked=asked)
    current = locked.current_version
    if (
        current is not None
        and _said(current.data, current.files) == _said(data, files)
        and locked.status == SubmissionStatus.SUBMITTED
    ):
        return current
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SubmissionVersion.objects.create(
        submission=locked, number=number, data=data, files=files, created_by=by
    )
    first = current is None
    locked.current_version = version
    locked.submitted_at = version.created_at
    locked.save(update_fields=["current_version", "submitted_at", "updated_at"])
    if locked.status != SubmissionStatus.SUBMITTED:
        change_status(submission=locked, status=SubmissionStatus.SUBMITTED, by=by)
    record(action="submissions.entry.submitted", obj=locked, by=by, version=number)
    notify(
        event=events.SUBMISSION_RECEIVED if first else events.VERSION_SUBMITTED,
        recipients=team_recipients(locked),
        context={
            "title": locked.title,
            "version": number,
            "challenge": every_language(lambda: locked.challenge.display_title),
        },
        obj=locked,
        by=by,
    )
    submission.current_version, submission.status = version, SubmissionStatus.SUBMITTED
    return version


@transaction.atomic
def withdraw_entry(*, submission, by):
    """Withdraw the entry (it can be submitted again before the deadline).

    Side effects: status → withdrawn (``change_status``), a ``submission.withdrawn``
    notification, audit ``submissions.entry.withdrawn``.
    """
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED):
        raise ActionRefused(_("This entry is being assessed and can no longer be withdrawn."))
    locked = change_status(submission=submission, status=SubmissionStatus.WITHDRAWN, by=by)
    record(action="submissions.entry.withdrawn", obj=locked, by=by)
    notify(
        event=events.SUBMISSION_WITHDRAWN,
        recipients=team_recipients(locked),
        context={"title": locked.title},
        obj=locked,
        by=by,
    )
    return locked
