"""Who may enter a challenge (or one of its tracks): plain data in, reasons out.

Callers (submissions, the public page) describe people with ``Applicant`` and pass the
challenge's rules as ``EligibilityRules`` (``rules_for(challenge, track)`` builds them).
The checks never touch the database, so they are tested as pure functions.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..enums import Gender, GenderRule
from .phases import submission_deadline


@dataclass(frozen=True)
class Applicant:
    name: str
    birth_date: date | None = None
    gender: str = ""
    region_code: str = ""


@dataclass(frozen=True)
class EligibilityRules:
    min_age: int | None = None
    max_age: int | None = None
    age_on: date | None = None
    gender_rule: str = GenderRule.ANY
    region_codes: frozenset = field(default_factory=frozenset)
    region_names: dict = field(default_factory=dict)
    team_min_size: int = 1
    team_max_size: int = 5
    individual_entries: bool = True
    mentor_required: bool = False


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple = ()

    @property
    def eligible(self):
        return not self.reasons

    def __bool__(self):
        return self.eligible


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def rules_for(challenge, track=None, *, today=None):
    """Merge the challenge's rules with a track's narrower ones."""

    phases = list(challenge.phases.all())
    deadline = submission_deadline(phases)
    age_day = challenge.age_reference_date
    if age_day is None:
        age_day = (
            timezone.localtime(deadline, challenge.tz).date()
            if deadline
            else (today or timezone.localdate())
        )
    regions = list(challenge.allowed_regions.all())
    return EligibilityRules(
        min_age=track.min_age if track and track.min_age is not None else challenge.min_age,
        max_age=track.max_age if track and track.max_age is not None else challenge.max_age,
        age_on=age_day,
        gender_rule=(track.gender_rule if track and track.gender_rule else challenge.gender_rule),
        region_codes=frozenset(r.code for r in regions),
        region_names={r.code: str(r) for r in regions},
        team_min_size=challenge.team_min_size,
        team_max_size=challenge.team_max_size,
        individual_entries=challenge.individual_entries,
        mentor_required=challenge.mentor_required,
    )


def _day(day):
    """A date as the reader's language writes it (``15 March 2026``, ``15 марта 2026``)."""
    return formats.date_format(day, "DATE_FORMAT")


def check_person(rules, person):
    """Reasons why one person may not take part (empty when they may)."""
    reasons = []
    if rules.min_age is not None or rules.max_age is not None:
        if person.birth_date is None:
            reasons.append(
                _("%(name)s: the date of birth is needed to check the age limits.")
                % {"name": person.name}
            )
        else:
            age = age_on(person.birth_date, rules.age_on)
            if rules.min_age is not None and age < rules.min_age:
                reasons.append(
                    _("%(name)s is %(age)s on %(day)s; the minimum age is %(min)s.")
                    % {
                        "name": person.name,
                        "age": age,
                        "day": _day(rules.age_on),
                        "min": rules.min_age,
                    }
                )
            if rules.max_age is not None and age > rules.max_age:
                reasons.append(
                    _("%(name)s is %(age)s on %(day)s; the maximum age is %(max)s.")
                    % {
                        "name": person.name,
                        "age": age,
                        "day": _day(rules.age_on),
                        "max": rules.max_age,
                    }
                )
    if rules.gender_rule == GenderRule.WOMEN_AND_GIRLS and person.gender != Gender.FEMALE:
        if not person.gender or person.gender == Gender.UNDISCLOSED:
            reasons.append(
                _(
                    "%(name)s: this challenge is open to women and girls only; "
                    "please state your gender in your profile."
                )
                % {"name": person.name}
            )
        else:
            reasons.append(
                _("%(name)s: this challenge is open to women and girls only.")
                % {"name": person.name}
            )
    if rules.region_codes and not person.region_code:
        reasons.append(
            _("%(name)s: the region is needed to check where participants may come from.")
            % {"name": person.name}
        )
    elif rules.region_codes and person.region_code not in rules.region_codes:
        allowed = ", ".join(sorted(rules.region_names.values()))
        reasons.append(
            _("%(name)s: only participants from these regions may take part: %(regions)s.")
            % {"name": person.name, "regions": allowed}
        )
    return reasons


def check_entry(rules, members, *, mentors=0, is_team=True, size=None):
    """Check an entry: every member, the team's size, individual entries and mentors.

    ``size`` counts the team when it differs from ``members`` (members whom staff excused
    from the person rules are left out of ``members`` but still count).
    """
    reasons = []
    for person in members:
        reasons.extend(check_person(rules, person))
    size = len(members) if size is None else size
    if not is_team and not rules.individual_entries:
        reasons.append(_("Individual entries are not accepted; enter as a team."))
    if is_team and size < rules.team_min_size:
        reasons.append(
            _("The team has %(size)s members; at least %(min)s are required.")
            % {"size": size, "min": rules.team_min_size}
        )
    if size > rules.team_max_size:
        reasons.append(
            _("The team has %(size)s members; at most %(max)s are allowed.")
            % {"size": size, "max": rules.team_max_size}
        )
    if rules.mentor_required and mentors < 1:
        reasons.append(_("A mentor is required."))
    return Eligibility(tuple(reasons))


def describe(rules, *, people_only=False):
    """The rules in plain words, one sentence each, for the public challenge page.

    ``people_only`` keeps the sentences about age and gender (what a track narrows).
    """
    lines = []
    day = _day(rules.age_on) if rules.age_on else ""
    if rules.min_age is not None and rules.max_age is not None:
        lines.append(
            _("Participants are %(min)s to %(max)s years old on %(day)s.")
            % {"min": rules.min_age, "max": rules.max_age, "day": day}
        )
    elif rules.min_age is not None:
        lines.append(
            _("Participants are at least %(min)s years old on %(day)s.")
            % {"min": rules.min_age, "day": day}
        )
    elif rules.max_age is not None:
        lines.append(
            _("Participants are at most %(max)s years old on %(day)s.")
            % {"max": rules.max_age, "day": day}
        )
    else:
        lines.append(_("There is no age limit."))
    if rules.gender_rule == GenderRule.WOMEN_AND_GIRLS:
        lines.append(_("Open to women and girls only."))
    if people_only:
        return lines
    if rules.region_codes:
        lines.append(
            _("Open to participants from: %(regions)s.")
            % {"regions": ", ".join(sorted(rules.region_names.values()))}
        )
    else:
        lines.append(_("Open to participants from every region of Uzbekistan."))
    if rules.team_min_size == rules.team_max_size:
        lines.append(
            ngettext(
                "Teams have exactly %(count)s member.",
                "Teams have exactly %(count)s members.",
                rules.team_max_size,
            )
            % {"count": rules.team_max_size}
        )
    else:
        lines.append(
            _("Teams have %(min)s to %(max)s members.")
            % {"min": rules.team_min_size, "max": rules.team_max_size}
        )
    if rules.individual_entries:
        lines.append(_("You may also enter on your own."))
    else:
        lines.append(_("Individual entries are not accepted; enter as a team."))
    if rules.mentor_required:
        lines.append(_("Every team needs a mentor."))
    return lines
