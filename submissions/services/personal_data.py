"""What submissions holds about a person, for the export and the erasure of
``core.personal_data`` (registered in ``SubmissionsConfig.ready``).

Erasure, here:

* the profile: name → "anonymised"; phone, Telegram, organisation, guardian, district as
  typed cleared; the date of birth replaced by a stand-in (the 1st of a month of the same
  year where possible) chosen so that the person's age in whole years — hence every age
  group of every statistic — is the same on each date it is counted on (each of their
  challenges' "age counted on" date, and today). Region, district, gender and the
  disability answer stay: they are only ever counted, and the name they could be read
  with is gone;
* entries only they can edit (individual entries, teams with no other member): a draft
  never submitted goes with its files (objects deleted through the file lifecycle); a
  submitted one keeps its versions and the files they froze, other draft files go;
* teams they led: the lead passes to the longest-standing other member; a team with no
  one else is closed — deleted when it never submitted, otherwise kept as it was judged;
* pending invitations to their address are deleted.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from challenges.services.eligibility import age_on, rules_for

from ..enums import FileStatus, MemberRole
from ..models import Invitation, Profile, Submission, Team, TeamMembership
from .files import download_url, purge_file
from .teams import hand_lead

ANONYMISED_NAME = "anonymised"
REASON = "personal data erased"


def _iso(value):
    return value.isoformat() if value else None


# --- export ------------------------------------------------------------------------------
def export_profile(user):
    profile = Profile.objects.filter(user=user).select_related("region", "district").first()
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "birth_date": _iso(profile.birth_date),
        "gender": profile.gender,
        "region": profile.region.code if profile.region_id else "",
        "district": profile.district.code if profile.district_id else "",
        "district_typed": profile.district_typed,
        "disability": profile.disability,
        "organisation": profile.organisation,
        "phone": profile.phone,
        "telegram": profile.telegram,
        "preferred_language": profile.preferred_language,
        "consent_terms": profile.consent_terms,
        "consent_privacy": profile.consent_privacy,
        "consent_publicity": profile.consent_publicity,
        "guardian_name": profile.guardian_name,
        "guardian_contact": profile.guardian_contact,
        "guardian_consent": profile.guardian_consent,
        "updated_at": _iso(profile.updated_at),
    }


def export_teams(user):
    """Their teams: the team's name, their role, and whether they lead it (no one else's
    name or address)."""
    memberships = TeamMembership.objects.filter(user=user).select_related("team__challenge")
    return [
        {
            "team": m.team.name,
            "challenge": m.team.challenge.slug,
            "role": m.role,
            "lead": m.team.lead_id == user.pk,
            "joined_at": _iso(m.joined_at),
            "members": m.team.memberships.count(),
        }
        for m in memberships.order_by("joined_at", "pk")
    ]


def entries_of(user):
    """The entries ``user`` owns or is a member of the team of."""
    teams = TeamMembership.objects.filter(user=user).values("team_id")
    return Submission.objects.filter(Q(owner=user) | Q(team_id__in=teams)).distinct()


def _file(file):
    entry = {
        "name": file.original_name,
        "kind": file.kind,
        "content_type": file.content_type,
        "size": file.size,
        "sha256": file.sha256,
        "uploaded_at": _iso(file.created_at),
        "removed": file.removed_at is not None,
    }
    if file.status == FileStatus.VERIFIED:
        entry["download_url"] = download_url(file=file)  # a short presigned link
    return entry


def export_entries(user):
    rows = []
    entries = entries_of(user).select_related("challenge", "team", "track")
    for submission in entries.order_by("created_at", "pk"):
        rows.append(
            {
                "id": submission.pk,
                "challenge": submission.challenge.slug,
                "team": submission.team.name if submission.team_id else "",
                "title": submission.title,
                "status": submission.status,
                "answers": submission.answers,
                "created_at": _iso(submission.created_at),
                "submitted_at": _iso(submission.submitted_at),
                "versions": [
                    {
                        "number": v.number,
                        "created_at": _iso(v.created_at),
                        "data": v.data,
                        "files": [
                            {k: ref.get(k) for k in ("name", "kind", "size", "sha256")}
                            for ref in v.files
                        ],
                    }
                    for v in submission.versions.order_by("number")
                ],
                "files": [
                    _file(f)
                    for f in submission.files.filter(status=FileStatus.VERIFIED).order_by("pk")
                ],
            }
        )
    return rows


# --- erasure -----------------------------------------------------------------------------
def _reference_days(user, today):
    days = {today}
    for submission in entries_of(user).select_related("challenge"):
        days.add(rules_for(submission.challenge, today=today).age_on)
    return days


def stand_in_birth_date(birth_date, days):
    """A date in ``birth_date``'s year, as coarse as it can be, giving the same age in
    whole years as ``birth_date`` on every one of ``days``."""
    ages = {day: age_on(birth_date, day) for day in days}
    year = birth_date.year

    def same(candidate):
        return all(age_on(candidate, day) == age for day, age in ages.items())

    firsts = [dt.date(year, 1, 1), dt.date(year, 7, 1)]
    firsts += [dt.date(year, month, 1) for month in range(1, 13)]
    for candidate in firsts:
        if same(candidate):
            return candidate
    day = dt.date(year, 1, 1)
    while day.year == year:  # the real day always qualifies
        if same(day):
            return day
        day += dt.timedelta(days=1)
    return birth_date


def _erase_profile(user):
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.birth_date:
        days = _reference_days(user, timezone.localdate())
        profile.birth_date = stand_in_birth_date(profile.birth_date, days)
    profile.full_name = ANONYMISED_NAME
    for name in (
        "phone",
        "telegram",
        "organisation",
        "district_typed",
        "guardian_name",
        "guardian_contact",
    ):
        setattr(profile, name, "")
    profile.save()


def _others(team, user):
    return (
        team.memberships.exclude(user=user)
        .filter(role=MemberRole.MEMBER, user__is_active=True)
        .order_by("joined_at", "pk")
    )


def _drop_draft_files(submission, by):
    for file in submission.files.all():
        purge_file(file, by=by, reason=REASON)


def _erase_entry(submission, by):
    """An entry only the erased person could edit: drafts and their files go."""
    _drop_draft_files(submission, by)
    if submission.current_version_id is None and not submission.versions.exists():
        submission.delete()
        return True
    return False


def erase(user, *, by):
    _erase_profile(user)
    Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, declined_at__isnull=True
    ).delete()
    for team in Team.objects.filter(lead=user).select_related("challenge"):
        successor = _others(team, user).first()
        if successor is not None:
            hand_lead(team, successor.user, by=by, reason=REASON)
            continue
        # Alone: the team is closed.
        entries = list(team.submissions.all())
        kept = [s for s in entries if not _erase_entry(s, by)]
        if not kept:
            team.memberships.all().delete()
            team.invitations.all().delete()
            team.delete()
    for submission in Submission.objects.filter(owner=user, team__isnull=True):
        _erase_entry(submission, by)
