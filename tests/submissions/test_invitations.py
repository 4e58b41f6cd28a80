"""Team invitations (issue 15, item 7): written in the invitee's language, declined by the
invitee, withdrawn by the lead, and a page that leads someone without an account through
sign-up back to the invitation."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from core.models import AuditEntry
from notifications.messages import render
from notifications.models import Notification
from submissions.models import Invitation
from submissions.services import teams
from submissions.services.errors import ActionRefused
from tests.factories import PASSWORD, UserFactory
from tests.submissions.builders import open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return team_entry(open_challenge()).team


def _page(token, language="en"):
    return f"/{language}/me/invitation/{token}/"


def _invitation_message(email):
    notification = Notification.objects.get(event="team.invitation", email=email)
    return notification.language, render(notification)


# --- the language the invitation is written in ------------------------------------------
def test_invitation_to_an_account_is_written_in_its_preferred_language(team):
    anvar = participant(language="ru")

    teams.invite(team=team, email=anvar.email.upper(), by=team.lead)

    language, message = _invitation_message(anvar.email)
    assert language == "ru"
    assert "приглашает вас в команду" in message.subject
    assert f"«{team.name}»" in message.subject


def test_invitation_language_is_the_invitees_not_the_inviters(team, settings):
    anvar = participant(language="en")
    from django.utils import translation

    with translation.override("ru"):  # the lead's page was Russian
        teams.invite(team=team, email=anvar.email, by=team.lead)

    language, message = _invitation_message(anvar.email)
    assert language == "en"
    assert "invites you to the team" in message.subject


def test_invitation_to_an_unknown_address_is_written_in_the_site_default(team):
    from django.utils import translation

    with translation.override("en"):
        teams.invite(team=team, email="stranger@example.org", by=team.lead)

    language, message = _invitation_message("stranger@example.org")
    assert language == "uz"
    assert "jamoasiga taklif qilmoqda" in message.subject


def test_invitation_to_an_account_without_profile_uses_the_site_default(team):
    user = UserFactory()

    teams.invite(team=team, email=user.email, by=team.lead)

    assert _invitation_message(user.email)[0] == "uz"


# --- declining ---------------------------------------------------------------------------
def test_invitee_declines_and_cannot_accept_afterwards(team):
    dilnoza = participant()
    invitation = teams.invite(team=team, email=dilnoza.email, by=team.lead)

    teams.decline_invitation(token=invitation.token, by=dilnoza)

    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    with pytest.raises(ActionRefused, match="was declined"):
        teams.accept_invitation(token=invitation.token, by=dilnoza)
    assert not team.memberships.filter(user=dilnoza).exists()
    assert AuditEntry.objects.filter(
        action="submissions.team.invitation_declined", actor=dilnoza
    ).exists()


def test_someone_signed_in_with_another_address_cannot_decline(team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)

    with pytest.raises(ActionRefused, match="another e-mail"):
        teams.decline_invitation(token=invitation.token, by=participant())

    invitation.refresh_from_db()
    assert invitation.declined_at is None


def test_decline_page_action_without_an_account(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)

    response = client.post(_page(invitation.token), {"action": "decline"}, follow=True)

    assert response.redirect_chain[-1][0] == _page(invitation.token)
    text = response.content.decode()
    assert "You have declined the invitation." in text
    assert "This invitation was declined." in text
    assert "Accept the invitation" not in text
    invitation.refresh_from_db()
    assert invitation.declined_at is not None


def test_declining_twice_says_it_is_already_declined(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    client.post(_page(invitation.token), {"action": "decline"})
    first = Invitation.objects.get(pk=invitation.pk).declined_at

    response = client.post(_page(invitation.token), {"action": "decline"}, follow=True)

    assert "This invitation was declined." in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).declined_at == first


def test_lead_sees_the_invitation_declined_on_the_team_page(client, team):
    dilnoza = participant()
    invitation = teams.invite(team=team, email=dilnoza.email, by=team.lead)
    client.force_login(dilnoza)
    client.post(_page(invitation.token), {"action": "decline"})

    client.force_login(team.lead)
    text = client.get(f"/en/me/team/{team.pk}/").content.decode()

    assert dilnoza.email in text
    assert "declined on" in text


# --- revoking ----------------------------------------------------------------------------
def test_lead_withdraws_a_pending_invitation_and_its_link_says_so(client, team):
    dilnoza = participant()
    invitation = teams.invite(team=team, email=dilnoza.email, by=team.lead)
    client.force_login(team.lead)

    response = client.post(
        f"/en/me/team/{team.pk}/",
        {"action": "revoke", "invitation": invitation.pk},
        follow=True,
    )

    text = response.content.decode()
    assert f"The invitation to {dilnoza.email} is withdrawn" in text
    assert "withdrawn on" in text
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.filter(
        action="submissions.team.invitation_revoked", actor=team.lead
    ).exists()

    client.force_login(dilnoza)
    page = client.get(_page(invitation.token)).content.decode()
    assert "The team lead has withdrawn this invitation" in page
    assert "Accept the invitation" not in page
    response = client.post(_page(invitation.token), {"action": "accept"}, follow=True)
    assert "The team lead has withdrawn this invitation" in response.content.decode()
    assert not team.memberships.filter(user=dilnoza).exists()


def test_withdrawn_link_cannot_be_accepted_in_any_language(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    teams.revoke_invitation(team=team, invitation_id=invitation.pk, by=team.lead)

    for language in ("uz", "ru", "en"):
        response = client.get(_page(invitation.token, language))
        text = response.content.decode()
        assert response.status_code == 200
        assert 'role="alert"' in text
        assert 'value="accept"' not in text, language
    # The sentence goes through gettext (locale/ is filled by the lead).
    assert "The team lead has withdrawn this invitation" in text


def test_only_the_lead_withdraws(team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    member = participant()

    with pytest.raises(ActionRefused, match="Only the team lead"):
        teams.revoke_invitation(team=team, invitation_id=invitation.pk, by=member)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_an_invitation_of_another_team_cannot_be_withdrawn(team):
    other = team_entry(team.challenge).team
    invitation = teams.invite(team=other, email="friend@example.org", by=other.lead)

    with pytest.raises(ActionRefused, match="does not exist"):
        teams.revoke_invitation(team=team, invitation_id=invitation.pk, by=team.lead)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


@pytest.mark.parametrize("ended", ["accepted_at", "declined_at", "revoked_at", "expired"])
def test_only_pending_invitations_can_be_withdrawn(team, ended):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    if ended == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        Invitation.objects.filter(pk=invitation.pk).update(**{ended: timezone.now()})

    with pytest.raises(ActionRefused, match="Only a pending invitation"):
        teams.revoke_invitation(team=team, invitation_id=invitation.pk, by=team.lead)


def test_withdraw_with_a_malformed_id_is_refused_on_the_page(client, team):
    client.force_login(team.lead)

    response = client.post(f"/en/me/team/{team.pk}/", {"action": "revoke", "invitation": "x"})

    assert response.status_code == 400
    assert "Choose one of the team&#x27;s invitations." in response.content.decode()


# --- someone without an account ------------------------------------------------------------
def test_page_explains_the_invitation_to_someone_without_an_account(client, team):
    team.lead.profile.full_name = "Aziza Karimova"
    team.lead.profile.save()
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)

    response = client.get(_page(invitation.token))

    text = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Aziza Karimova invites you to join the team “{team.name}” in "
        f"{team.challenge.display_title} as Member." in text
    )
    assert "friend@example.org" in text
    next_param = f"next=%2Fen%2Fme%2Finvitation%2F{invitation.token}%2F"
    assert f'href="/en/accounts/signup/?{next_param}"' in text
    assert f'href="/en/accounts/login/?{next_param}"' in text


def test_accepting_without_an_account_leads_to_sign_in_and_back(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)

    response = client.post(_page(invitation.token), {"action": "accept"})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert unquote(response["Location"]).endswith(_page(invitation.token))


def test_next_survives_signup_and_confirmation_back_to_the_invitation(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    page = _page(invitation.token)
    mail.outbox.clear()

    client.post(
        f"/en/accounts/signup/?next={page}",
        {"email": "friend@example.org", "password1": PASSWORD, "password2": PASSWORD, "next": page},
    )
    (message,) = [m for m in mail.outbox if "/accounts/confirm-email/" in m.body]
    link = re.search(r"http://testserver(/en/accounts/confirm-email/\S+)", message.body).group(1)
    assert unquote(link).endswith(f"?next={page}")

    # Confirmed in another browser: the confirm page keeps next, then sign-in does.
    other = type(client)()
    confirm_page = other.get(link).content.decode()
    assert f'value="{page}"' in confirm_page
    key = link.split("/confirm-email/")[1].split("/")[0]
    response = other.post(f"/en/accounts/confirm-email/{key}/", {"next": page})
    assert response["Location"] == page
    assert EmailAddress.objects.get(email="friend@example.org").verified
    response = other.get(page)
    assert response.status_code == 200  # the page itself explains; no login wall
    response = other.post(
        f"/en/accounts/login/?next={page}",
        {"login": "friend@example.org", "password": PASSWORD, "next": page},
    )
    assert response["Location"] == page
    text = other.get(page).content.decode()
    profile_url = f"/en/me/profile/?next=%2Fen%2Fme%2Finvitation%2F{invitation.token}%2F"
    assert f'href="{profile_url}"' in text  # a new account has no profile yet
    assert 'value="accept"' not in text


def test_invitee_without_profile_is_led_through_it_back_to_the_invitation(client, team):
    from challenges.models import Region

    region = Region.objects.get_or_create(code="UZ-TK", defaults={"name": "Toshkent"})[0]
    invitee = UserFactory(email="friend@example.org")
    invitation = teams.invite(team=team, email=invitee.email, by=team.lead)
    client.force_login(invitee)
    page = _page(invitation.token)

    response = client.post(
        f"/en/me/profile/?next={page}",
        {
            "full_name": "Dilnoza Rahimova",
            "birth_date": "2003-04-05",
            "gender": "female",
            "region": region.pk,
            "preferred_language": "uz",
            "consent_terms": "on",
            "consent_privacy": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page

    assert 'value="accept"' in client.get(page).content.decode()
    response = client.post(page, {"action": "accept"})
    assert response["Location"] == f"/en/me/team/{team.pk}/"
    assert team.memberships.filter(user=invitee).exists()


def test_signed_in_with_another_address_is_told_so(client, team):
    invitation = teams.invite(team=team, email="friend@example.org", by=team.lead)
    client.force_login(participant())

    text = client.get(_page(invitation.token)).content.decode()

    assert "This invitation was sent to friend@example.org, and you are signed in as" in text
    assert "Accept the invitation" not in text


def test_unknown_token_says_the_link_is_not_valid(client):
    response = client.get(_page("no-such-token"))

    assert response.status_code == 200
    assert "This invitation link is not valid." in response.content.decode()


def _team_page_queries(client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/me/team/{team.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_team_page_queries_do_not_grow_with_invitations(client, team):
    client.force_login(team.lead)
    teams.invite(team=team, email="one@example.org", by=team.lead)
    client.get(f"/en/me/team/{team.pk}/")  # warm the caches (site header, sessions)
    few = _team_page_queries(client, team)
    for n in range(8):
        invitation = teams.invite(team=team, email=f"more{n}@example.org", by=team.lead)
        if n % 2:
            teams.decline_invitation(token=invitation.token, by=None)
        elif n % 3 == 0:
            teams.revoke_invitation(team=team, invitation_id=invitation.pk, by=team.lead)

    many = _team_page_queries(client, team)

    assert many == few
