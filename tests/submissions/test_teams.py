from datetime import timedelta

import pytest
from django.utils import timezone

from submissions.enums import MemberRole, SubmissionStatus
from submissions.models import Invitation, Team, TeamMembership
from submissions.services import teams
from submissions.services.errors import ActionRefused
from tests.factories import UserFactory
from tests.submissions.builders import open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db


def test_create_team_makes_the_creator_its_lead_and_member():
    challenge = open_challenge()
    aziz = participant()

    team = teams.create_team(challenge=challenge, name="Mehr", by=aziz)

    assert team.lead == aziz
    assert list(team.memberships.values_list("user", "role")) == [(aziz.pk, MemberRole.MEMBER)]


def test_create_team_needs_a_profile_first():
    with pytest.raises(ActionRefused, match="profile"):
        teams.create_team(challenge=open_challenge(), name="Mehr", by=UserFactory())
    assert not Team.objects.exists()


def test_second_team_for_the_same_person_is_refused():
    challenge = open_challenge()
    aziz = participant()
    teams.create_team(challenge=challenge, name="Mehr", by=aziz)

    with pytest.raises(ActionRefused, match="already in a team"):
        teams.create_team(challenge=challenge, name="Oqibat", by=aziz)
    assert list(Team.objects.values_list("name", flat=True)) == ["Mehr"]


def test_joining_another_team_in_the_same_challenge_is_refused():
    challenge = open_challenge()
    first = team_entry(challenge).team
    second = team_entry(challenge).team
    aziz = participant()
    teams.join_by_code(code=first.join_code, by=aziz)

    with pytest.raises(ActionRefused, match="already in a team"):
        teams.join_by_code(code=second.join_code, by=aziz)
    assert TeamMembership.objects.filter(user=aziz).count() == 1


def test_joining_a_full_team_is_refused():
    challenge = open_challenge(team_max_size=2)
    team = team_entry(challenge, members=1).team

    with pytest.raises(ActionRefused, match="The team is full: at most 2 members"):
        teams.join_by_code(code=team.join_code, by=participant())
    assert team.memberships.count() == 2


def test_a_mentor_joins_a_full_team_because_mentors_count_separately():
    challenge = open_challenge(team_max_size=1)
    submission = team_entry(challenge)
    mentor = participant(birth_date=timezone.localdate().replace(year=1980))
    invitation = teams.invite(
        team=submission.team, email=mentor.email, role=MemberRole.MENTOR, by=submission.owner
    )

    teams.accept_invitation(token=invitation.token, by=mentor)

    assert submission.team.memberships.get(user=mentor).role == MemberRole.MENTOR


def test_join_is_checked_against_eligibility():
    challenge = open_challenge(gender_rule="female")
    team = team_entry(challenge).team
    bobur = participant(gender="male", full_name="Bobur Aliyev")

    with pytest.raises(ActionRefused, match="Bobur Aliyev: this challenge is open to women"):
        teams.join_by_code(code=team.join_code, by=bobur)
    assert not TeamMembership.objects.filter(user=bobur).exists()


def test_unknown_join_code_is_refused():
    with pytest.raises(ActionRefused, match="No team has this join code"):
        teams.join_by_code(code="nope", by=participant())


def test_regenerated_join_code_invalidates_the_old_one():
    challenge = open_challenge()
    team = team_entry(challenge).team
    old = team.join_code

    teams.regenerate_join_code(team=team, by=team.lead)

    with pytest.raises(ActionRefused, match="No team has this join code"):
        teams.join_by_code(code=old, by=participant())


def test_invitation_is_accepted_once():
    challenge = open_challenge()
    team = team_entry(challenge).team
    dilnoza = participant()
    invitation = teams.invite(team=team, email=dilnoza.email, by=team.lead)
    teams.accept_invitation(token=invitation.token, by=dilnoza)
    teams.remove_member(team=team, user=dilnoza, by=team.lead)

    with pytest.raises(ActionRefused, match="already been used"):
        teams.accept_invitation(token=invitation.token, by=dilnoza)
    assert not team.memberships.filter(user=dilnoza).exists()


def test_expired_invitation_is_refused():
    challenge = open_challenge()
    team = team_entry(challenge).team
    dilnoza = participant()
    invitation = teams.invite(team=team, email=dilnoza.email, by=team.lead)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ActionRefused, match="expired"):
        teams.accept_invitation(token=invitation.token, by=dilnoza)
    assert not team.memberships.filter(user=dilnoza).exists()


def test_invitation_for_another_address_is_refused():
    challenge = open_challenge()
    team = team_entry(challenge).team
    invitation = teams.invite(team=team, email="someone@example.org", by=team.lead)

    with pytest.raises(ActionRefused, match="another e-mail"):
        teams.accept_invitation(token=invitation.token, by=participant())


def test_only_the_lead_invites():
    challenge = open_challenge()
    submission = team_entry(challenge, members=1)
    member = submission.team.memberships.exclude(user=submission.owner).get().user

    with pytest.raises(ActionRefused, match="Only the team lead"):
        teams.invite(team=submission.team, email="x@example.org", by=member)


def test_lead_transfers_leadership_and_the_entry_follows():
    challenge = open_challenge()
    submission = team_entry(challenge, members=1)
    team = submission.team
    member = team.memberships.exclude(user=team.lead).get().user

    teams.transfer_lead(team=team, to_user=member, by=team.lead)

    team.refresh_from_db()
    submission.refresh_from_db()
    assert team.lead == member
    assert submission.owner == member


def test_lead_removes_a_member_but_cannot_leave():
    challenge = open_challenge()
    submission = team_entry(challenge, members=1)
    team = submission.team
    member = team.memberships.exclude(user=team.lead).get().user

    teams.remove_member(team=team, user=member, by=team.lead)
    with pytest.raises(ActionRefused, match="lead cannot leave"):
        teams.remove_member(team=team, user=team.lead, by=team.lead)

    assert list(team.memberships.values_list("user", flat=True)) == [team.lead.pk]


def test_members_are_fixed_once_the_entry_is_submitted():
    challenge = open_challenge()
    submission = team_entry(challenge, members=1, status=SubmissionStatus.SUBMITTED)
    team = submission.team
    member = team.memberships.exclude(user=team.lead).get().user

    with pytest.raises(ActionRefused, match="members are fixed"):
        teams.remove_member(team=team, user=member, by=team.lead)
    with pytest.raises(ActionRefused, match="members are fixed"):
        teams.transfer_lead(team=team, to_user=member, by=team.lead)
    assert team.memberships.count() == 2


def test_teams_cannot_change_after_the_deadline():
    challenge = open_challenge(status="judging")

    with pytest.raises(ActionRefused, match=r"deadline .* has passed"):
        teams.create_team(challenge=challenge, name="Kech", by=participant())
