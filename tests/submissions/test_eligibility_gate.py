"""Eligibility before starting: the challenge page and the enter page say why a person
may not take part and what to do, and the services refuse to create a team or an entry
for them (also on a POST made without the page). Staff's exceptions let a person in."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from challenges.enums import Gender, GenderRule
from cms.models import ChallengeIndexPage, ChallengePage
from cms.pages import ensure_translated_page
from core.errors import NotAllowed
from core.models import AuditEntry
from submissions.models import EligibilityException, Submission, Team, TeamMembership
from submissions.services import entries, teams
from submissions.services.eligibility import grant_exception, may_start, revoke_exception
from submissions.services.errors import ActionRefused
from tests.cms.conftest import INDEX_TITLES, page_texts
from tests.factories import (
    EligibilityExceptionFactory,
    ProfileFactory,
    RegionFactory,
    TeamFactory,
    TrackFactory,
    UserFactory,
    participant,
)
from tests.submissions.builders import open_challenge

pytestmark = pytest.mark.django_db

AGE_DAY = date(2026, 6, 1)
FIFTEEN = date(2011, 1, 1)  # 15 on AGE_DAY
SEVENTEEN = date(2009, 1, 1)  # 17 on AGE_DAY
TOO_YOUNG = "is 15 on"


@pytest.fixture
def make_challenge_page(home_pages):
    """The challenge's page in uz/ru/en under a challenge index (as tests/cms builds them)."""
    index = ensure_translated_page(
        home_pages,
        ChallengeIndexPage,
        slug="challenges",
        texts={code: {"title": title} for code, title in INDEX_TITLES.items()},
    )

    def make(challenge):
        return ensure_translated_page(
            index,
            ChallengePage,
            slug=challenge.slug,
            texts=page_texts(challenge),
            challenge=challenge,
        )

    return make


def _sixteen_plus(**fields):
    return open_challenge(min_age=16, age_reference_date=AGE_DAY, **fields)


def _manager_of(challenge):
    manager = UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name="Challenge managers"))
    challenge.managers.add(manager)
    return manager


def _enter(client, challenge, action, **data):
    return client.post(
        reverse("submissions:enter", args=[challenge.slug]), {"action": action, **data}
    )


def _nothing_created(challenge):
    return (
        Team.objects.filter(challenge=challenge).count(),
        Submission.objects.filter(challenge=challenge).count(),
    ) == (0, 0)


# --- the challenge page and the enter page -------------------------------------------------
def test_challenge_page_shows_an_under_age_person_why_and_what_to_do(client, make_challenge_page):
    challenge = _sixteen_plus()
    page = make_challenge_page(challenge)["en"]
    client.force_login(participant(birth_date=FIFTEEN, full_name="Malika Karimova"))

    text = client.get(page.url).content.decode()

    assert "You cannot enter this challenge yet:" in text
    assert "Malika Karimova is 15 on 1 June 2026; the minimum age is 16." in text
    assert "write to the organisers" in text


def test_challenge_page_says_nothing_personal_to_an_eligible_person(client, make_challenge_page):
    challenge = _sixteen_plus()
    page = make_challenge_page(challenge)["en"]
    client.force_login(participant(birth_date=date(2000, 1, 1)))

    text = client.get(page.url).content.decode()

    assert "You cannot enter this challenge yet" not in text
    assert "Submit your entry" in text


def test_challenge_page_checks_nobody_for_an_anonymous_visitor(client, make_challenge_page):
    page = make_challenge_page(_sixteen_plus())["en"]

    text = client.get(page.url).content.decode()

    assert "You cannot enter this challenge yet" not in text


def test_enter_page_hides_the_forms_from_an_under_age_person(client):
    challenge = _sixteen_plus()
    client.force_login(participant(birth_date=FIFTEEN))

    text = client.get(reverse("submissions:enter", args=[challenge.slug])).content.decode()

    assert TOO_YOUNG in text
    assert 'value="create_team"' not in text
    assert 'value="individual"' not in text


@pytest.mark.parametrize("action", ["create_team", "individual"])
def test_enter_refuses_an_under_age_person_and_creates_nothing(client, action):
    challenge = _sixteen_plus()
    client.force_login(participant(birth_date=FIFTEEN))

    answer = _enter(client, challenge, action, name="Yulduzlar")

    assert answer.status_code == 302
    assert TOO_YOUNG in client.get(answer.url).content.decode()
    assert _nothing_created(challenge)


def test_services_refuse_an_under_age_person_without_the_page():
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)

    with pytest.raises(ActionRefused) as refused:
        teams.create_team(challenge=challenge, name="Yulduzlar", by=minor)
    with pytest.raises(ActionRefused):
        entries.start_entry(challenge=challenge, by=minor)

    assert refused.value.code == "ineligible"
    assert _nothing_created(challenge)


def test_joining_a_team_refuses_an_under_age_person():
    challenge = _sixteen_plus()
    team = TeamFactory(challenge=challenge, lead=participant())
    minor = participant(birth_date=FIFTEEN)

    with pytest.raises(ActionRefused, match=TOO_YOUNG):
        teams.join_by_code(code=team.join_code, by=minor)

    assert not TeamMembership.objects.filter(user=minor).exists()


def test_missing_birth_date_points_to_the_profile(client):
    challenge = _sixteen_plus()
    client.force_login(participant(birth_date=None))

    text = client.get(reverse("submissions:enter", args=[challenge.slug])).content.decode()

    assert "the date of birth is needed to check the age limits." in text
    assert "Add your date of birth to your profile." in text
    assert f'href="{reverse("submissions:profile")}?next=' in text
    assert "write to the organisers" not in text  # the profile fixes it


def test_no_profile_at_all_is_refused_with_the_profile_link():
    challenge = open_challenge()
    standing = may_start(UserFactory(), challenge)

    assert not standing
    assert standing.reasons == ("Please fill in your participant profile first.",)
    assert standing.steps[0].url == reverse("submissions:profile")


def test_a_minor_without_guardian_consent_may_start_and_is_asked_for_it(client):
    challenge = open_challenge(age_reference_date=AGE_DAY)
    client.force_login(participant(birth_date=SEVENTEEN))

    text = client.get(reverse("submissions:enter", args=[challenge.slug])).content.decode()

    assert "ask a guardian to confirm" in text
    assert "Add your guardian&#x27;s consent" in text
    assert 'value="create_team"' in text


def test_a_minor_with_guardian_consent_is_not_asked_again():
    challenge = open_challenge(age_reference_date=AGE_DAY)
    minor = participant(
        birth_date=SEVENTEEN,
        guardian_name="Dilnoza Karimova",
        guardian_contact="+998901112233",
        guardian_consent=True,
    )

    assert may_start(minor, challenge).steps == ()


# --- gender tracks and regions -------------------------------------------------------------
def test_a_girls_only_challenge_refuses_a_boy():
    challenge = open_challenge(gender_rule=GenderRule.WOMEN_AND_GIRLS)
    boy = participant(gender=Gender.MALE, full_name="Aziz Tursunov")

    with pytest.raises(ActionRefused, match="open to women and girls only"):
        teams.create_team(challenge=challenge, name="Aziz team", by=boy)

    assert _nothing_created(challenge)


def test_gender_not_stated_points_to_the_profile():
    challenge = open_challenge(gender_rule=GenderRule.WOMEN_AND_GIRLS)
    standing = may_start(participant(gender=""), challenge)

    assert not standing
    assert [s.text for s in standing.steps] == ["State your gender in your profile."]


def test_a_girls_only_track_refuses_a_boy_who_picks_it(client):
    challenge = open_challenge()
    girls = TrackFactory(challenge=challenge, gender_rule=GenderRule.WOMEN_AND_GIRLS)
    boy = participant(gender=Gender.MALE)
    team = teams.create_team(challenge=challenge, name="Open team", by=boy)
    entry = entries.start_entry(challenge=challenge, team=team, by=boy)
    client.force_login(boy)

    answer = client.post(
        reverse("submissions:entry", args=[entry.pk]),
        {"action": "save", "title": "Changed", "track": girls.pk},
    )

    assert "open to women and girls only" in answer.content.decode()
    entry.refresh_from_db()
    assert (entry.track_id, entry.title) == (None, team.name)


def test_the_challenge_page_names_the_track_that_is_closed_to_the_person(
    client, make_challenge_page
):
    challenge = open_challenge()
    TrackFactory(
        challenge=challenge, name_en="Girls in tech", gender_rule=GenderRule.WOMEN_AND_GIRLS
    )
    page = make_challenge_page(challenge)["en"]
    client.force_login(participant(gender=Gender.MALE))

    text = client.get(page.url).content.decode()

    assert "The track “Girls in tech” is not open to you:" in text
    assert "You cannot enter this challenge yet" not in text


def test_a_region_outside_the_list_is_refused():
    challenge = open_challenge()
    karakalpakstan = RegionFactory(code="UZ-QR", name="Qoraqalpogʻiston")
    challenge.allowed_regions.add(karakalpakstan)
    tashkent = participant()  # the factory's region is Tashkent city

    with pytest.raises(ActionRefused, match="only participants from these regions"):
        entries.start_entry(challenge=challenge, by=tashkent)

    assert _nothing_created(challenge)
    standing = may_start(tashkent, challenge)
    assert "write to the organisers" in standing.steps[-1].text


def test_no_region_points_to_the_profile():
    challenge = open_challenge()
    challenge.allowed_regions.add(RegionFactory(code="UZ-QR", name="Qoraqalpogʻiston"))
    standing = may_start(participant(region=None), challenge)

    assert [s.text for s in standing.steps] == ["Add your region to your profile."]


# --- staff exceptions ----------------------------------------------------------------------
def _exceptions_url(challenge):
    return reverse("submissions_admin:exceptions", args=[challenge.pk])


def test_an_exception_lets_the_person_in_and_is_audited(client):
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)
    manager = _manager_of(challenge)
    client.force_login(manager)

    answer = client.post(
        _exceptions_url(challenge),
        {"email": minor.email.upper(), "reason": "Turns 16 a week after the deadline."},
    )

    assert answer.status_code == 302
    exception = EligibilityException.objects.get(challenge=challenge, user=minor)
    assert (exception.granted_by, exception.revoked_at) == (manager, None)
    audit = AuditEntry.objects.get(action="submissions.eligibility_exception.granted")
    assert (audit.actor, audit.data["reason"]) == (manager, "Turns 16 a week after the deadline.")
    standing = may_start(minor, challenge)
    assert standing
    assert standing.excepted
    team = teams.create_team(challenge=challenge, name="Yulduzlar", by=minor)
    assert team.lead == minor


def test_an_excused_person_is_not_refused_at_submit_but_team_size_still_counts():
    challenge = _sixteen_plus(team_min_size=2)
    minor = participant(birth_date=FIFTEEN)
    EligibilityExceptionFactory(challenge=challenge, user=minor)
    team = teams.create_team(challenge=challenge, name="Yulduzlar", by=minor)
    entry = entries.start_entry(challenge=challenge, team=team, by=minor)

    found = entries.problems(entry)

    assert not any(TOO_YOUNG in str(p) for p in found)
    assert "The team has 1 members; at least 2 are required." in found


def test_the_exception_page_lists_exceptions_to_the_challenges_staff(client):
    exception = EligibilityExceptionFactory(challenge=open_challenge(), reason="Jury decided.")
    client.force_login(_manager_of(exception.challenge))

    answer = client.get(_exceptions_url(exception.challenge))

    assert answer.status_code == 200
    assert "Jury decided." in answer.content.decode()


def test_granting_needs_a_reason_and_a_known_person(client):
    challenge = _sixteen_plus()
    client.force_login(_manager_of(challenge))
    minor = participant(birth_date=FIFTEEN)

    no_reason = client.post(_exceptions_url(challenge), {"email": minor.email, "reason": " "})
    nobody = client.post(_exceptions_url(challenge), {"email": "x@example.org", "reason": "Why"})

    assert (no_reason.status_code, nobody.status_code) == (400, 400)
    assert "Bu elektron pochta bilan hech kim roʻyxatdan oʻtmagan." in nobody.content.decode()
    assert not EligibilityException.objects.exists()


def test_a_second_active_exception_is_refused(client):
    exception = EligibilityExceptionFactory(challenge=open_challenge(), user=participant())
    client.force_login(_manager_of(exception.challenge))

    answer = client.post(
        _exceptions_url(exception.challenge), {"email": exception.user.email, "reason": "Again"}
    )

    assert answer.status_code == 400
    assert "ushbu tanlov uchun istisno allaqachon bor" in answer.content.decode()
    assert EligibilityException.objects.count() == 1


def test_a_non_staff_person_cannot_grant_through_the_service():
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)

    with pytest.raises(NotAllowed) as refused:
        grant_exception(challenge=challenge, user=minor, reason="Please", by=participant())

    assert refused.value.status == 403
    assert refused.value.code == "forbidden:submissions.grant_exception"
    assert not EligibilityException.objects.exists()


def test_a_participant_posting_to_the_staff_page_grants_nothing(client):
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)
    client.force_login(minor)

    answer = client.post(_exceptions_url(challenge), {"email": minor.email, "reason": "Me"})

    assert answer.status_code == 302  # to the admin's login: not an admin user
    assert "login" in answer.url
    assert not EligibilityException.objects.exists()


def test_another_challenges_manager_cannot_see_or_grant(client):
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)
    client.force_login(_manager_of(open_challenge()))

    answer = client.post(_exceptions_url(challenge), {"email": minor.email, "reason": "Me"})

    assert answer.status_code == 404  # out of scope, like a missing id
    assert not EligibilityException.objects.exists()


def test_revoke_ends_the_exception_and_is_audited(client):
    challenge = _sixteen_plus()
    minor = participant(birth_date=FIFTEEN)
    exception = EligibilityExceptionFactory(challenge=challenge, user=minor)
    manager = _manager_of(challenge)
    client.force_login(manager)

    answer = client.post(reverse("submissions_admin:exception_revoke", args=[exception.pk]))

    assert answer.status_code == 302
    exception.refresh_from_db()
    assert exception.revoked_by == manager
    assert exception.revoked_at is not None
    assert AuditEntry.objects.filter(
        action="submissions.eligibility_exception.revoked", actor=manager
    ).exists()
    assert not may_start(minor, challenge)
    with pytest.raises(ActionRefused):
        entries.start_entry(challenge=challenge, by=minor)
    # Revoked twice: said so, nothing changes; a new exception may be granted after.
    with pytest.raises(ActionRefused, match="allaqachon bekor qilingan"):
        revoke_exception(exception=exception, by=manager)
    grant_exception(challenge=challenge, user=minor, reason="Second look", by=manager)
    assert may_start(minor, challenge)


def test_a_non_staff_person_cannot_revoke():
    exception = EligibilityExceptionFactory(challenge=open_challenge())

    with pytest.raises(NotAllowed):
        revoke_exception(exception=exception, by=participant())

    exception.refresh_from_db()
    assert exception.revoked_at is None


def test_an_exception_is_for_one_challenge_only():
    minor = participant(birth_date=FIFTEEN)
    EligibilityExceptionFactory(challenge=_sixteen_plus(), user=minor)

    assert not may_start(minor, _sixteen_plus())


# --- languages ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("uz", "Malika Karimova 1-Iyun, 2026-yil holatiga 15 yoshda; eng kichik yosh — 16."),
        ("ru", "Malika Karimova: на 1 июня 2026 г. возраст — 15, а минимальный допустимый — 16."),  # noqa: RUF001
    ],
)
def test_the_reason_is_shown_in_the_pages_language(language, said):
    challenge = _sixteen_plus()
    user = ProfileFactory(full_name="Malika Karimova", birth_date=FIFTEEN).user
    client = Client()
    client.force_login(user)
    with translation.override(language):
        url = reverse("submissions:enter", args=[challenge.slug])

    text = client.get(url).content.decode()

    assert url.startswith(f"/{language}/")
    assert said in text


def _exception_list_queries(client, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    challenge = open_challenge()
    manager = _manager_of(challenge)
    for _ in range(n):
        EligibilityExceptionFactory(challenge=challenge, user=participant(), granted_by=manager)
    client.force_login(manager)
    client.get(_exceptions_url(challenge))  # warm the session and the admin's caches
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_exceptions_url(challenge)).content.decode()
    assert page.count("/revoke/") == n
    return len(queries)


def test_exception_list_query_count_is_flat(client):
    assert _exception_list_queries(client, 2) == _exception_list_queries(client, 12)


# --- the demo -------------------------------------------------------------------------------
def test_demo_has_one_exception_that_lets_its_girl_in(shared_demo):
    from challenges.models import Challenge

    technovation = Challenge.objects.get(slug="technovation-challenge")
    exception = EligibilityException.objects.get(challenge=technovation)

    assert exception.user.username == "techno-gulnora"
    assert exception.is_active
    assert may_start(exception.user, technovation).excepted
