"""Jurors: invitation by e-mail, acceptance with a confidentiality statement, conflicts."""

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from core.i18n import every_language
from notifications import events
from notifications.services import notify
from submissions.models import Submission, TeamMembership

from ..enums import ConflictKind, JurorStatus, ReviewState
from ..models import Conflict, Juror, Review
from . import JudgingError


def _norm(text):
    return " ".join((text or "").casefold().split())


@transaction.atomic
def invite_juror(*, challenge, email, by, expertise=()):
    """Invite ``email`` to the challenge's jury (idempotent per e-mail).

    Side effects: a ``Juror`` row (status invited), a ``judging.juror_invited`` notification
    to the person (by account when one exists with that e-mail, else by address), audit
    ``judging.juror.invited``.
    """

    require(by, "challenges.manage_challenge", challenge)
    email = email.strip().lower()
    juror, created = Juror.objects.get_or_create(
        challenge=challenge, email=email, defaults={"invited_by": by}
    )
    if expertise:
        juror.expertise.add(*expertise)
    if created:
        user = get_user_model().objects.filter(email__iexact=email).first()
        notify(
            event=events.JUROR_INVITED,
            recipients=[user] if user else [],
            email=None if user else email,
            context={
                "challenge": every_language(lambda: challenge.display_title),
                "accept_path": reverse("judging:accept", args=[juror.token]),
            },
            obj=juror,
            by=by,
        )
        record(action="judging.juror.invited", obj=juror, by=by, email=email)
    return juror


@transaction.atomic
def accept_invitation(*, token, user, confidentiality):
    """Accept a jury invitation as ``user`` and sign the confidentiality statement.

    The invitation must be addressed to one of the user's verified e-mail addresses.
    Side effects: the juror becomes active; audit ``judging.juror.accepted``.
    """

    juror = Juror.objects.select_for_update().filter(token=token).first()
    if juror is None:
        raise JudgingError(_("This invitation does not exist."))
    verified = set(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    if juror.email.lower() not in {e.lower() for e in verified}:
        raise JudgingError(_("This invitation was sent to another e-mail address."))
    if not confidentiality:
        raise JudgingError(_("Please sign the confidentiality statement to join the jury."))
    if juror.user_id and juror.user_id != user.pk:
        raise JudgingError(_("This invitation has already been accepted."))
    juror.user = user
    juror.status = JurorStatus.ACTIVE
    juror.accepted_at = juror.accepted_at or timezone.now()
    juror.confidentiality_signed_at = juror.confidentiality_signed_at or timezone.now()
    try:
        with transaction.atomic():
            juror.save()
    except IntegrityError:
        raise JudgingError(_("You are already on this challenge's jury.")) from None
    record(action="judging.juror.accepted", obj=juror, by=user)
    return juror


@transaction.atomic
def declare_conflict(
    *, juror, by, kind, team=None, organisation="", region=None, person="", note=""
):
    """Record a conflict of interest, declared by the juror or by staff.

    Existing assignments it touches that are not yet submitted are removed; submitted ones
    stay and are reported back so staff can decide. Side effects: audit
    ``judging.conflict.declared``. Returns ``(conflict, removed review count)``.
    """
    if by != juror.user:
        require(by, "challenges.manage_challenge", juror.challenge)
    conflict = Conflict(
        juror=juror,
        kind=kind,
        team=team,
        organisation=organisation.strip(),
        region=region,
        person=person.strip(),
        note=note,
        declared_by=by,
    )
    try:
        conflict.full_clean()
    except ValidationError as exc:
        # The model says what is missing for this kind (a team, a name …): one refusal, in
        # the project's one shape, for every caller.
        fields = [f for f in exc.message_dict if f != "__all__"]
        raise JudgingError(
            " ".join(m for messages in exc.message_dict.values() for m in messages),
            code="conflict_invalid",
            field=fields[0] if len(fields) == 1 else None,
        ) from exc
    if team is not None and team.challenge_id != juror.challenge_id:
        raise JudgingError(_("This team is not in this challenge."))
    conflict.save()

    hit = conflicted_pairs(
        jurors=[juror],
        entries=Submission.objects.filter(reviews__juror=juror).distinct(),
    )
    removed, _count = (
        Review.objects.filter(
            juror=juror,
            submission_id__in=[e for e, _j in hit],
        )
        .exclude(state=ReviewState.SUBMITTED)
        .delete()
    )
    record(action="judging.conflict.declared", obj=conflict, by=by, kind=kind, removed=removed)
    return conflict, removed


def conflicted_pairs(*, jurors, entries):
    """``{(entry_id, juror_id)}`` for every juror who has a conflict with an entry.

    An entry's people are its owner and its team's members; a conflict matches the team, any
    of their organisations or regions (case- and space-insensitive for names), or a person
    by full name or account name. Three queries whatever the sizes.
    """
    jurors = list(jurors)
    conflicts = list(Conflict.objects.filter(juror__in=jurors))
    if not conflicts:
        return set()
    entries = list(entries.values("id", "team_id", "owner_id"))
    people = defaultdict(set)  # entry → user ids
    team_entries = defaultdict(list)
    for e in entries:
        people[e["id"]].add(e["owner_id"])
        if e["team_id"]:
            team_entries[e["team_id"]].append(e["id"])
    for team_id, user_id in TeamMembership.objects.filter(
        team_id__in=list(team_entries)
    ).values_list("team_id", "user_id"):
        for entry_id in team_entries[team_id]:
            people[entry_id].add(user_id)

    user_ids = {u for us in people.values() for u in us}
    facts = {}
    for row in (
        get_user_model()
        .objects.filter(id__in=user_ids)
        .values(
            "id",
            "username",
            "first_name",
            "last_name",
            "profile__full_name",
            "profile__organisation",
            "profile__region_id",
        )
    ):
        facts[row["id"]] = row
    result = set()
    for e in entries:
        orgs, regions, names = set(), set(), set()
        for u in people[e["id"]]:
            f = facts.get(u)
            if not f:
                continue
            orgs.add(_norm(f["profile__organisation"]))
            regions.add(f["profile__region_id"])
            names.update(
                {
                    _norm(f["profile__full_name"]),
                    _norm(f"{f['first_name']} {f['last_name']}"),
                    _norm(f["username"]),
                }
            )
        orgs.discard("")
        names.discard("")
        for c in conflicts:
            if (
                (c.kind == ConflictKind.TEAM and c.team_id and c.team_id == e["team_id"])
                or (c.kind == ConflictKind.ORGANISATION and _norm(c.organisation) in orgs)
                or (c.kind == ConflictKind.REGION and c.region_id in regions)
                or (c.kind == ConflictKind.PERSON and _norm(c.person) in names)
            ):
                result.add((e["id"], c.juror_id))
    return result


def is_conflicted(*, juror, submission):
    return bool(
        conflicted_pairs(jurors=[juror], entries=Submission.objects.filter(pk=submission.pk))
    )
