"""Participant profiles: what must be true of a person before their team can submit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.services.eligibility import Applicant, age_on
from core.audit import record
from core.errors import Refused

from ..models import Profile

ADULT_AGE = 18


def is_minor(profile, *, on=None):
    if profile is None or profile.birth_date is None:
        return False
    return age_on(profile.birth_date, on or timezone.localdate()) < ADULT_AGE


def profile_problems(profile, *, name=None, on=None):
    """Reasons why this person cannot yet be part of a submitted entry."""
    label = name or (profile.full_name if profile else "")
    if profile is None or not profile.full_name:
        return [_("%(name)s has not filled in a participant profile yet.") % {"name": label}]
    problems = []
    if not (profile.consent_terms and profile.consent_privacy):
        problems.append(
            _("%(name)s has not accepted the terms and the privacy notice.") % {"name": label}
        )
    if is_minor(profile, on=on) and not (
        profile.guardian_name and profile.guardian_contact and profile.guardian_consent
    ):
        problems.append(
            _("%(name)s is under 18: a guardian's name, contact and consent are needed.")
            % {"name": label}
        )
    return problems


def applicant(user):
    profile = getattr(user, "profile", None)
    if profile is None:
        return Applicant(name=user.get_full_name() or user.get_username())
    return Applicant(
        name=profile.full_name or user.get_username(),
        birth_date=profile.birth_date,
        gender=profile.gender,
        region_code=profile.region.code if profile.region_id else "",
    )


@transaction.atomic
def save_profile(*, profile, by):
    """Save a participant's profile. Side effects: audit ``submissions.profile.saved``."""
    profile.user = by
    if profile.district_id:
        profile.district_typed = ""  # settled: the district is chosen from the list
    profile.save()
    record(action="submissions.profile.saved", obj=profile, by=by)
    return profile


def profile_of(user):
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


@transaction.atomic
def settle_district(*, profile, district, by):
    """Staff choose the district a person meant by what they typed before the list.
    Refused when the district is not in the person's region (a person without a region
    gets the district's). Side effects: audit ``submissions.profile.district_settled``."""
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if locked.region_id and district.region_id != locked.region_id:
        raise Refused(
            _("%(district)s is not in %(region)s: choose a district of the person's region.")
            % {"district": district, "region": locked.region},
            code="district_outside_region",
            field="district",
        )
    typed = locked.district_typed
    locked.region_id = district.region_id
    locked.district = district
    locked.district_typed = ""
    locked.save(update_fields=["region", "district", "district_typed", "updated_at"])
    record(
        action="submissions.profile.district_settled",
        obj=locked,
        by=by,
        typed=typed,
        district=district.code,
    )
    return locked
