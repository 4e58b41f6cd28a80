"""May this person start (a team, an entry) in this challenge? And staff's exceptions.

``may_start`` is the one answer the challenge page, the enter page and the services that
create a team, join one, start an entry or pick a track all use, so what the page says
and what the services enforce cannot drift. It wraps the pure checks of
``challenges.services.eligibility`` with what only this app knows: the person's profile
(and what to do about a missing part of it) and the exceptions staff granted.

An exception waives the *person* rules (age, gender, region) for one person in one
challenge; the team-size, mentor and profile requirements still apply at submit.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.enums import Gender, GenderRule
from challenges.services.eligibility import Eligibility, check_person, rules_for
from core.access import require
from core.audit import record

from ..models import EligibilityException
from .errors import ActionRefused
from .profiles import applicant, is_minor, profile_of


@dataclass(frozen=True)
class Step:
    """Something the person can do about a reason: a sentence and, maybe, where to do it."""

    text: str
    url: str = ""
    link: str = ""


@dataclass(frozen=True)
class Standing(Eligibility):
    """An :class:`Eligibility` (``reasons`` refuse) with the steps to take and whether a
    staff exception let the person in. ``steps`` may be present when eligible (a minor
    still needs a guardian's consent before the entry can be submitted)."""

    steps: tuple = ()
    excepted: bool = False


def active_exception(user, challenge):
    if not user.is_authenticated:
        return None
    return EligibilityException.objects.filter(
        challenge=challenge, user=user, revoked_at__isnull=True
    ).first()


def excused_user_ids(challenge, user_ids):
    """Which of ``user_ids`` staff excused from the person rules of ``challenge``."""
    return set(
        EligibilityException.objects.filter(
            challenge=challenge, user_id__in=list(user_ids), revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )


def _profile_step(text):
    return Step(text, reverse("submissions:profile"), _("Complete your profile"))


_UNKNOWN = object()


def may_start(user, challenge, track=None, *, individual=False, exception=_UNKNOWN):
    """Whether ``user`` may create a team, join one or start an entry in ``challenge``
    (in ``track``, whose narrower person rules then apply), as a :class:`Standing`.

    ``individual=True`` also asks whether the challenge takes entries from one person.
    Reads only; the services that create call :func:`ensure_may_start`. ``exception``:
    the person's active exception (or ``None``) when the caller already fetched it.
    """
    profile = profile_of(user)
    if profile is None or not profile.full_name:
        text = _("Please fill in your participant profile first.")
        return Standing(reasons=(text,), steps=(_profile_step(text),))
    rules = rules_for(challenge, track)
    person = applicant(user)
    reasons = list(check_person(rules, person))
    steps = []
    excepted = False
    if exception is _UNKNOWN and reasons:
        exception = active_exception(user, challenge)
    if reasons and exception is not None:
        reasons, excepted = [], True
    if reasons:
        ages = rules.min_age is not None or rules.max_age is not None
        fixable = False
        if ages and person.birth_date is None:
            fixable = True
            steps.append(_profile_step(_("Add your date of birth to your profile.")))
        if rules.gender_rule == GenderRule.WOMEN_AND_GIRLS and person.gender in (
            "",
            Gender.UNDISCLOSED,
        ):
            fixable = True
            steps.append(_profile_step(_("State your gender in your profile.")))
        if rules.region_codes and not person.region_code:
            fixable = True
            steps.append(_profile_step(_("Add your region to your profile.")))
        if not fixable or len(steps) < len(reasons):
            steps.append(
                Step(
                    _(
                        "If you think you should be able to take part, write to the "
                        "organisers: staff can grant an exception with a reason."
                    )
                )
            )
    if individual and not rules.individual_entries:
        reasons.append(_("Individual entries are not accepted; enter as a team."))
    if not reasons:
        if is_minor(profile, on=rules.age_on) and not (
            profile.guardian_name and profile.guardian_contact and profile.guardian_consent
        ):
            steps.append(
                Step(
                    _(
                        "You are under 18: ask a guardian to confirm (their name, contact "
                        "and consent in your profile) before your entry can be submitted."
                    ),
                    reverse("submissions:profile"),
                    _("Add your guardian's consent"),
                )
            )
        if rules.team_min_size > 1:
            steps.append(
                Step(
                    _("A team needs at least %(min)s members: invite them once it exists.")
                    % {"min": rules.team_min_size}
                )
            )
    return Standing(reasons=tuple(reasons), steps=tuple(steps), excepted=excepted)


def ensure_may_start(user, challenge, track=None, *, individual=False):
    """Raise :class:`ActionRefused` (code ``ineligible``) with the reasons, if any."""
    standing = may_start(user, challenge, track, individual=individual)
    if not standing:
        raise ActionRefused(" ".join(str(r) for r in standing.reasons), code="ineligible")
    return standing


@transaction.atomic
def grant_exception(*, challenge, user, reason, by):
    """Let ``user`` take part in ``challenge`` despite the person rules.

    Side effects: an ``EligibilityException``, audit
    ``submissions.eligibility_exception.granted`` (with the reason).
    """
    require(by, "submissions.grant_exception", challenge)
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Write the reason for the exception."), field="reason")
    try:
        with transaction.atomic():
            exception = EligibilityException.objects.create(
                challenge=challenge, user=user, reason=reason, granted_by=by
            )
    except IntegrityError as exc:
        raise ActionRefused(
            _("This person already has an exception for this challenge."), field="user"
        ) from exc
    record(
        action="submissions.eligibility_exception.granted",
        obj=exception,
        by=by,
        challenge=challenge.pk,
        user=user.pk,
        reason=reason,
    )
    return exception


@transaction.atomic
def revoke_exception(*, exception, by):
    """End an exception (the row stays as the record). Teams and entries already made
    stay; the person rules apply again at the next start and at submit.

    Side effects: ``revoked_at``/``revoked_by`` set, audit
    ``submissions.eligibility_exception.revoked``.
    """
    locked = EligibilityException.objects.select_for_update().get(pk=exception.pk)
    require(by, "submissions.revoke_exception", locked)
    if locked.revoked_at is not None:
        raise ActionRefused(_("This exception has already been revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    record(
        action="submissions.eligibility_exception.revoked",
        obj=locked,
        by=by,
        challenge=locked.challenge_id,
        user=locked.user_id,
    )
    return locked
