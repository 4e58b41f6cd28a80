"""Every eligibility rule, with the reason a person reads."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from challenges.enums import GenderRule
from challenges.models import Phase, Region
from challenges.services.eligibility import (
    Applicant,
    EligibilityRules,
    age_on,
    check_entry,
    check_person,
    describe,
    rules_for,
)
from tests.factories import ChallengeFactory, TrackFactory

DAY = date(2026, 3, 31)
AZIZA = Applicant("Aziza", birth_date=date(2008, 3, 31), gender="female", region_code="UZ-TK")


def rules(**overrides):
    return EligibilityRules(age_on=DAY, **overrides)


def test_age_counts_the_birthday_itself():
    assert age_on(date(2008, 3, 31), DAY) == 18
    assert age_on(date(2008, 4, 1), DAY) == 17


def test_person_within_every_rule_is_eligible():
    strict = rules(
        min_age=16,
        max_age=18,
        gender_rule=GenderRule.WOMEN_AND_GIRLS,
        region_codes=frozenset({"UZ-TK"}),
        region_names={"UZ-TK": "Tashkent"},
    )

    assert check_person(strict, AZIZA) == []
    assert check_entry(strict, [AZIZA], is_team=False).eligible


def test_too_young_names_the_age_day_and_limit():
    reasons = check_person(rules(min_age=19), AZIZA)

    assert reasons == ["Aziza is 18 on 31 March 2026; the minimum age is 19."]


def test_too_old_names_the_age_day_and_limit():
    reasons = check_person(rules(max_age=17), AZIZA)

    assert reasons == ["Aziza is 18 on 31 March 2026; the maximum age is 17."]


def test_missing_birth_date_is_a_reason_when_ages_matter():
    person = Applicant("Bobur")

    assert check_person(rules(min_age=16), person) == [
        "Bobur: the date of birth is needed to check the age limits."
    ]
    assert check_person(rules(), person) == []


def test_women_only_rule_turns_away_others_and_asks_for_missing_gender():
    girls = rules(gender_rule=GenderRule.WOMEN_AND_GIRLS)

    assert check_person(girls, Applicant("Bobur", gender="male")) == [
        "Bobur: this challenge is open to women and girls only."
    ]
    assert check_person(girls, Applicant("Sam")) == [
        "Sam: this challenge is open to women and girls only; "
        "please state your gender in your profile."
    ]


def test_region_rule_lists_the_allowed_regions():
    limited = rules(
        region_codes=frozenset({"UZ-QR", "UZ-XO"}),
        region_names={"UZ-QR": "Karakalpakstan", "UZ-XO": "Khorezm"},
    )

    assert check_person(limited, AZIZA) == [
        "Aziza: only participants from these regions may take part: Karakalpakstan, Khorezm."
    ]
    assert check_person(limited, Applicant("Dilnoza")) == [
        "Dilnoza: the region is needed to check where participants may come from."
    ]


def test_team_too_small_and_too_large():
    team_rules = rules(team_min_size=2, team_max_size=3)

    assert check_entry(team_rules, [AZIZA]).reasons == (
        "The team has 1 members; at least 2 are required.",
    )
    assert check_entry(team_rules, [AZIZA] * 4).reasons == (
        "The team has 4 members; at most 3 are allowed.",
    )
    assert check_entry(team_rules, [AZIZA] * 3).eligible


def test_individual_entries_can_be_refused():
    assert check_entry(rules(individual_entries=False), [AZIZA], is_team=False).reasons == (
        "Individual entries are not accepted; enter as a team.",
    )
    assert check_entry(rules(individual_entries=True), [AZIZA], is_team=False).eligible


def test_mentor_required():
    mentored = rules(mentor_required=True)

    assert check_entry(mentored, [AZIZA], mentors=0).reasons == ("A mentor is required.",)
    assert check_entry(mentored, [AZIZA], mentors=1).eligible


def test_every_member_is_checked_and_reasons_add_up():
    team = [AZIZA, Applicant("Bobur", birth_date=date(2000, 1, 1), gender="male")]
    strict = rules(max_age=18, gender_rule=GenderRule.WOMEN_AND_GIRLS, mentor_required=True)

    result = check_entry(strict, team)

    assert not result
    assert result.reasons == (
        "Bobur is 26 on 31 March 2026; the maximum age is 18.",
        "Bobur: this challenge is open to women and girls only.",
        "A mentor is required.",
    )


def test_reasons_write_dates_in_the_readers_language():
    with translation.override("ru"):
        reasons = check_person(rules(min_age=19), AZIZA)

    assert "31 марта 2026" in reasons[0]


def test_describe_sums_up_the_rules_in_plain_words():
    lines = describe(
        rules(
            min_age=10,
            max_age=18,
            gender_rule=GenderRule.WOMEN_AND_GIRLS,
            team_max_size=5,
            individual_entries=False,
            mentor_required=True,
        )
    )

    assert lines == [
        "Participants are 10 to 18 years old on 31 March 2026.",
        "Open to women and girls only.",
        "Open to participants from every region of Uzbekistan.",
        "Teams have 1 to 5 members.",
        "Individual entries are not accepted; enter as a team.",
        "Every team needs a mentor.",
    ]


@pytest.mark.django_db
def test_rules_for_a_track_narrow_the_challenge():
    challenge = ChallengeFactory(min_age=10, max_age=18, gender_rule=GenderRule.WOMEN_AND_GIRLS)
    deadline = datetime(2026, 3, 31, 23, 59, tzinfo=ZoneInfo("Asia/Tashkent"))
    Phase.objects.create(
        challenge=challenge,
        kind="submission",
        starts_at=deadline - timedelta(days=20),
        ends_at=deadline,
    )
    junior = TrackFactory(challenge=challenge, min_age=10, max_age=14)
    challenge.allowed_regions.set([Region.objects.get(code="UZ-QR")])
    challenge.save()

    general = rules_for(challenge)
    narrowed = rules_for(challenge, junior)

    assert (general.min_age, general.max_age) == (10, 18)
    assert (narrowed.min_age, narrowed.max_age) == (10, 14)
    assert narrowed.gender_rule == GenderRule.WOMEN_AND_GIRLS
    assert narrowed.age_on == date(2026, 3, 31)  # the deadline's day in Tashkent
    assert narrowed.region_codes == frozenset({"UZ-QR"})
    senior_girl = Applicant(
        "Malika", birth_date=date(2010, 1, 1), gender="female", region_code="UZ-QR"
    )
    assert check_person(general, senior_girl) == []
    assert check_person(narrowed, senior_girl) == [
        "Malika is 16 on 31 March 2026; the maximum age is 14."
    ]
