"""Teams: create, invite (and decline or revoke an invitation), join, hand over the lead,
remove members."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import allowed
from core.audit import record
from core.i18n import every_language
from notifications import events
from notifications.services import notify

from ..enums import InvitationState, MemberRole, SubmissionStatus
from ..models import Invitation, Profile, Submission, Team, TeamMembership, _join_code
from .deadlines import ensure_open
from .eligibility import ensure_may_start
from .errors import ActionRefused, NotAllowed
from .profiles import profile_of

INVITATION_DAYS = 7


def _ensure_free(challenge, user):
    if TeamMembership.objects.filter(challenge=challenge, user=user).exists():
        raise ActionRefused(_("You are already in a team for this challenge."))
    if Submission.objects.filter(challenge=challenge, owner=user, team__isnull=True).exists():
        raise ActionRefused(_("You already have an individual entry in this challenge."))


def _ensure_lead(team, by):
    if not allowed(by, "submissions.lead_team", team):
        raise NotAllowed(_("Only the team lead can do this."))


def _ensure_not_submitted(team):
    if (
        Submission.objects.filter(team=team)
        .exclude(status__in=[SubmissionStatus.DRAFT, SubmissionStatus.WITHDRAWN])
        .exists()
    ):
        raise ActionRefused(_("The team's entry has been submitted: its members are fixed."))


@transaction.atomic
def create_team(*, challenge, name, by):
    """Create a team led by ``by``, who must be eligible (``may_start``) — or excused.

    Side effects: the lead's membership, audit ``submissions.team.created``.
    """
    ensure_open(challenge)
    if profile_of(by) is None:
        raise ActionRefused(_("Please fill in your participant profile first."))
    ensure_may_start(by, challenge)
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Please give the team a name."))
    _ensure_free(challenge, by)
    if Team.objects.filter(challenge=challenge, name__iexact=name).exists():
        raise ActionRefused(_("A team with this name already exists in this challenge."))
    try:
        with transaction.atomic():
            team = Team.objects.create(challenge=challenge, name=name, lead=by)
            TeamMembership.objects.create(
                team=team, challenge=challenge, user=by, role=MemberRole.MEMBER
            )
    except IntegrityError as exc:
        raise ActionRefused(_("You are already in a team for this challenge.")) from exc
    record(action="submissions.team.created", obj=team, by=by, name=name)
    return team


def invitation_state(invitation, *, now=None):
    """Pending until accepted, declined, revoked or past its expiry (the first one wins)."""
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.declined_at is not None:
        return InvitationState.DECLINED
    if invitation.expires_at <= (now or timezone.now()):
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def closed_reason(state):
    """What the invitee is told about an invitation that can no longer be accepted."""
    return {
        InvitationState.ACCEPTED: _("This invitation has already been used."),
        InvitationState.DECLINED: _(
            "This invitation was declined. If you have changed your mind, ask the team lead "
            "for a new one."
        ),
        InvitationState.REVOKED: _(
            "The team lead has withdrawn this invitation: it can no longer be accepted."
        ),
        InvitationState.EXPIRED: _("This invitation has expired. Ask the team lead for a new one."),
    }.get(state)


def invitation_language(email):
    """The language the invitation is written in: the invitee's, if they have an account
    with a profile (its preferred language); else the site's default (Challenge has no
    language of its own: its pages exist in all three)."""
    language = (
        Profile.objects.filter(user__email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _pending(token):
    """The pending invitation of ``token``, locked (only its own row, not the joined ones)."""
    invitation = (
        Invitation.objects.select_related("team__challenge")
        .select_for_update(of=("self",))
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ActionRefused(_("This invitation link is not valid."))
    reason = closed_reason(invitation_state(invitation))
    if reason:
        raise ActionRefused(reason)
    return invitation


def _ensure_invitee(invitation, by):
    if not allowed(by, "submissions.answer_invitation", invitation):
        raise ActionRefused(_("This invitation was sent to another e-mail address."))


@transaction.atomic
def invite(*, team, email, by, role=MemberRole.MEMBER):
    """Invite ``email`` to ``team``.

    Side effects: an ``Invitation`` valid for a week, audit ``submissions.team.invited``,
    a ``team.invitation`` notification to the address, written in the invitee's language
    (``invitation_language``) — not the inviter's.
    """
    _ensure_lead(team, by)
    ensure_open(team.challenge)
    email = (email or "").strip().lower()
    if TeamMembership.objects.filter(team=team, user__email__iexact=email).exists():
        raise ActionRefused(_("This person is already in the team."))
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record(action="submissions.team.invited", obj=team, by=by, email=email, role=str(role))
    notify(
        event=events.TEAM_INVITATION,
        recipients=[],
        email=email,
        context={
            "team": team.name,
            "challenge": every_language(lambda: team.challenge.display_title),
            "token": invitation.token,
            "invited_by": by.get_full_name() or by.get_username(),
            "language": invitation_language(email),
        },
        obj=invitation,
        by=by,
    )
    return invitation


def _join(*, team, user, role, how):
    team = Team.objects.select_for_update().select_related("challenge").get(pk=team.pk)
    challenge = team.challenge
    ensure_open(challenge)
    if profile_of(user) is None:
        raise ActionRefused(_("Please fill in your participant profile first."))
    _ensure_free(challenge, user)
    if role == MemberRole.MEMBER:
        members = team.memberships.filter(role=MemberRole.MEMBER).count()
        if members >= challenge.team_max_size:
            raise ActionRefused(
                _("The team is full: at most %(max)s members are allowed.")
                % {"max": challenge.team_max_size}
            )
        submission = Submission.objects.filter(team=team).select_related("track").first()
        ensure_may_start(user, challenge, submission.track if submission else None)
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team, challenge=challenge, user=user, role=role
            )
    except IntegrityError as exc:
        raise ActionRefused(_("You are already in a team for this challenge.")) from exc
    record(action="submissions.team.joined", obj=team, by=user, how=how, role=str(role))
    return membership


@transaction.atomic
def accept_invitation(*, token, by):
    """Join a team through an e-mailed invitation (single use, expires).

    Side effects: a membership, the invitation marked used, audit ``submissions.team.joined``.
    """
    invitation = _pending(token)
    _ensure_invitee(invitation, by)
    membership = _join(team=invitation.team, user=by, role=invitation.role, how="invitation")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def decline_invitation(*, token, by):
    """The invitee says no. The link is the secret the invitee was sent, so someone without
    an account may decline; someone signed in declines only an invitation to their address.

    Side effects: ``declined_at`` set (the lead's team page shows it declined), audit
    ``submissions.team.invitation_declined``.
    """
    invitation = _pending(token)
    if by is not None and by.is_authenticated:
        _ensure_invitee(invitation, by)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    record(
        action="submissions.team.invitation_declined",
        obj=invitation.team,
        by=by,
        email=invitation.email,
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, team, invitation_id, by):
    """The team lead withdraws a pending invitation: its link then says so and cannot be
    accepted. An invitation of another team is not found (the lead sees only their own).

    Side effects: ``revoked_at`` set, audit ``submissions.team.invitation_revoked``.
    """
    _ensure_lead(team, by)
    invitation = Invitation.objects.select_for_update().filter(team=team, pk=invitation_id).first()
    if invitation is None:
        raise ActionRefused(_("This invitation does not exist."))
    if invitation_state(invitation) != InvitationState.PENDING:
        raise ActionRefused(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(action="submissions.team.invitation_revoked", obj=team, by=by, email=invitation.email)
    return invitation


@transaction.atomic
def join_team(*, team, user, how):
    """Make ``user`` a member of ``team`` through a flow another app ran in which the team
    (its lead) and the person both agreed — a hackathon's teammate request, say. The same
    checks as every other way in: entries open, a profile, not in another team, the team's
    size limit, eligibility. Side effects: a membership, audit ``submissions.team.joined``.
    """
    return _join(team=team, user=user, role=MemberRole.MEMBER, how=how)


@transaction.atomic
def join_by_code(*, code, by):
    """Join a team with its join code. Side effects: a membership, an audit entry."""
    team = Team.objects.filter(join_code=(code or "").strip()).first()
    if team is None:
        raise ActionRefused(_("No team has this join code."))
    return _join(team=team, user=by, role=MemberRole.MEMBER, how="code")


@transaction.atomic
def regenerate_join_code(*, team, by):
    """Invalidate the old join code. Side effects: audit ``submissions.team.code_changed``."""

    _ensure_lead(team, by)
    team.join_code = _join_code()
    team.save(update_fields=["join_code"])
    record(action="submissions.team.code_changed", obj=team, by=by)
    return team


@transaction.atomic
def transfer_lead(*, team, to_user, by):
    """Hand the lead to another member. Side effects: audit ``submissions.team.lead_changed``."""
    _ensure_lead(team, by)
    ensure_open(team.challenge)
    _ensure_not_submitted(team)
    if not team.memberships.filter(user=to_user, role=MemberRole.MEMBER).exists():
        raise ActionRefused(_("Leadership can only go to a member of the team."))
    return hand_lead(team, to_user, by=by)


def hand_lead(team, to_user, *, by, **data):
    """The lead (and the team's entry) passes to ``to_user``; the caller checked who may.
    Side effects: audit ``submissions.team.lead_changed``."""
    team.lead = to_user
    team.save(update_fields=["lead"])
    Submission.objects.filter(team=team).update(owner=to_user)
    record(action="submissions.team.lead_changed", obj=team, by=by, to=to_user.pk, **data)
    return team


@transaction.atomic
def remove_member(*, team, user, by):
    """Remove ``user`` (the lead removes others; anyone but the lead may leave).

    Side effects: the membership deleted, audit ``submissions.team.member_removed``.
    """
    if by.pk != user.pk:
        _ensure_lead(team, by)
    ensure_open(team.challenge)
    _ensure_not_submitted(team)
    if user.pk == team.lead_id:
        raise ActionRefused(_("The lead cannot leave; hand the lead to someone else first."))
    deleted, _rows = TeamMembership.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise ActionRefused(_("This person is not in the team."))
    record(action="submissions.team.member_removed", obj=team, by=by, user=user.pk)
