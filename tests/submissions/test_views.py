from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Phase
from submissions.models import Profile, Submission, Team, TeamMembership
from tests.factories import UserFactory
from tests.submissions.builders import open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db


def _profile_data(**overrides):
    data = {
        "full_name": "Aziz Tursunov",
        "birth_date": "2003-04-05",
        "gender": "male",
        "organisation": "TATU",
        "phone": "+998901112233",
        "telegram": "aziz_t",
        "preferred_language": "uz",
        "consent_terms": "on",
        "consent_privacy": "on",
    }
    data.update(overrides)
    return data


def test_profile_is_saved(client):
    user = UserFactory()
    client.force_login(user)

    answer = client.post(reverse("submissions:profile"), _profile_data())

    assert answer.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.full_name, profile.birth_date) == ("Aziz Tursunov", date(2003, 4, 5))


def test_profile_of_a_minor_needs_a_guardian(client):
    user = UserFactory()
    client.force_login(user)
    minor = f"{timezone.localdate().year - 15}-01-01"

    answer = client.post(reverse("submissions:profile"), _profile_data(birth_date=minor))

    assert answer.status_code == 200
    assert "Participants under 18 need a guardian" in answer.content.decode()
    assert not Profile.objects.exists()


def test_profile_needs_the_consents(client):
    client.force_login(UserFactory())

    answer = client.post(reverse("submissions:profile"), _profile_data(consent_terms=""))

    assert "This field is required." in answer.content.decode()
    assert not Profile.objects.exists()


def test_enter_page_creates_a_team_and_the_team_starts_its_entry(client):
    challenge = open_challenge()
    aziz = participant()
    client.force_login(aziz)

    answer = client.post(
        reverse("submissions:enter", args=[challenge.slug]),
        {"action": "create_team", "name": "Mehr"},
    )
    team = Team.objects.get()
    assert answer["Location"] == reverse("submissions:team", args=[team.pk])

    answer = client.post(reverse("submissions:team", args=[team.pk]), {"action": "start_entry"})
    entry = Submission.objects.get()
    assert answer["Location"] == reverse("submissions:entry", args=[entry.pk])
    assert (entry.team, entry.owner, entry.title) == (team, aziz, "Mehr")


def test_second_team_through_the_page_shows_the_reason(client):
    challenge = open_challenge()
    submission = team_entry(challenge)
    client.force_login(submission.owner)

    answer = client.post(
        reverse("submissions:enter", args=[challenge.slug]),
        {"action": "create_team", "name": "Boshqa"},
        follow=True,
    )

    assert "You are already in a team for this challenge." in answer.content.decode()
    assert Team.objects.count() == 1


def test_join_link_adds_the_member(client):
    challenge = open_challenge()
    team = team_entry(challenge).team
    dilnoza = participant()
    client.force_login(dilnoza)

    client.post(reverse("submissions:join", args=[team.join_code]))

    assert TeamMembership.objects.filter(team=team, user=dilnoza).exists()


def test_another_teams_page_answers_404(client):
    challenge = open_challenge()
    team = team_entry(challenge).team
    client.force_login(participant())

    assert client.get(reverse("submissions:team", args=[team.pk])).status_code == 404
    assert (
        client.post(reverse("submissions:team", args=[team.pk]), {"action": "new_code"}).status_code
        == 404
    )


def test_entry_form_opened_before_and_posted_after_the_deadline_is_refused(client):
    submission = team_entry(open_challenge(), title="Mehr")
    client.force_login(submission.owner)
    url = reverse("submissions:entry", args=[submission.pk])
    form_page = client.get(url).content.decode()
    assert 'name="title"' in form_page

    Phase.objects.filter(challenge=submission.challenge, kind="submission").update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )
    answer = client.post(url, {"title": "Mehr (late)", "summary": "x", "action": "submit"})

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "has passed: entries can no longer be changed." in page
    assert "The deadline has passed: this entry can no longer be changed." in page
    assert 'name="title"' not in page
    submission.refresh_from_db()
    assert (submission.title, submission.status) == ("Mehr", "draft")


def test_invalid_link_is_shown_next_to_the_field(client):
    submission = team_entry(open_challenge())
    client.force_login(submission.owner)

    answer = client.post(
        reverse("submissions:entry", args=[submission.pk]),
        {"title": "Mehr", "repository_url": "not a url", "action": "save"},
    )

    assert "Enter a valid URL." in answer.content.decode()
    submission.refresh_from_db()
    assert "repository_url" not in submission.answers


def test_entry_page_lists_what_is_missing_before_submit(client):
    submission = team_entry(open_challenge(), title="")
    client.force_login(submission.owner)

    page = client.get(reverse("submissions:entry", args=[submission.pk])).content.decode()

    assert "The entry needs a title." in page
    assert "A file is missing: Pitch deck (PDF)." in page


def _dashboard_user(n):
    user = participant()
    for _ in range(n):
        challenge = open_challenge()
        team = team_entry(challenge).team
        TeamMembership.objects.create(team=team, challenge=challenge, user=user)
    return user


def _dashboard_queries(client, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(_dashboard_user(n))
    client.get(reverse("submissions:dashboard"))  # warm the session and the site caches
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("submissions:dashboard"))
    assert answer.content.decode().count('class="badge status-draft"') == n
    return len(queries)


def test_dashboard_query_count_is_flat(client):
    # The other apps' dashboard panels add their own queries; what matters is that the
    # count does not grow with the number of teams and entries.
    assert _dashboard_queries(client, 1) == _dashboard_queries(client, 6)


def test_dashboard_shows_invitations_for_my_address(client):
    from submissions.services import teams

    challenge = open_challenge()
    team = team_entry(challenge).team
    dilnoza = participant()
    teams.invite(team=team, email=dilnoza.email, by=team.lead)
    client.force_login(dilnoza)

    page = client.get(reverse("submissions:dashboard")).content.decode()

    assert team.name in page
    assert "Open the invitation" in page
