"""Check-in at the door and finding teammates (issue 20, items 3 and 4)."""

from datetime import date

import pytest

from certificates.services.recipients import recipients_for
from core.errors import NotAllowed, Refused
from hackathons.models import CheckIn
from hackathons.services import checkin, teammates
from hackathons.services import registration as reg
from submissions.models import TeamMembership
from tests.factories import SubmissionFactory, TeamFactory

from .helpers import hackathon, people, staff_of

pytestmark = pytest.mark.django_db


def confirmed(event, person):
    return reg.confirm(registration=reg.register(event=event, by=person), by=person)


def test_check_in_by_token_is_recorded_once_however_often_it_is_sent():
    event = hackathon()
    staff = staff_of(event)
    (a,) = people(1)
    mine = confirmed(event, a)
    token = checkin.token_for(mine)
    first, created = checkin.check_in(event=event, token=token, by=staff)
    again, created_again = checkin.check_in(event=event, token=token, by=staff)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert CheckIn.objects.count() == 1


def test_check_in_of_someone_not_accepted_is_refused():
    event = hackathon(capacity=1)
    staff = staff_of(event)
    a, b = people(2)
    confirmed(event, a)
    waiting = reg.register(event=event, by=b)
    with pytest.raises(Refused) as exc:
        checkin.check_in(event=event, token=checkin.token_for(waiting), by=staff)
    assert exc.value.code == "no_place"
    assert not CheckIn.objects.filter(registration=waiting).exists()


def test_check_in_with_a_forged_or_foreign_token_is_refused():
    event, other = hackathon(), hackathon()
    staff = staff_of(event)
    (a,) = people(1)
    theirs = confirmed(other, a)
    for token in (f"{theirs.pk}:forged", checkin.token_for(theirs), ""):
        with pytest.raises(Refused) as exc:
            checkin.check_in(event=event, token=token, by=staff)
        assert exc.value.code == "bad_code"


def test_only_staff_of_the_challenge_check_people_in():
    event = hackathon()
    a, b = people(2)
    mine = confirmed(event, a)
    for outsider in (b, staff_of(hackathon())):
        with pytest.raises(NotAllowed):
            checkin.check_in(event=event, token=checkin.token_for(mine), by=outsider)


def test_counts_by_track_count_places_and_check_ins():
    event = hackathon(capacity=3)
    staff = staff_of(event)
    a, b = people(2)
    checkin.check_in(event=event, token=checkin.token_for(confirmed(event, a)), by=staff)
    confirmed(event, b)
    _table, total = checkin.counts_by_track(event)
    assert (total["checked_in"], total["places"]) == (1, 2)


def test_participation_certificates_can_require_check_in():
    event = hackathon(capacity=3, certificates_need_checkin=True)
    staff = staff_of(event)
    a, b = people(2)
    team = TeamFactory(challenge=event.challenge, lead=a)
    TeamMembership.objects.create(team=team, challenge=event.challenge, user=b)
    SubmissionFactory(challenge=event.challenge, team=team, owner=a, status="submitted")
    checkin.check_in(event=event, token=checkin.token_for(confirmed(event, a)), by=staff)
    confirmed(event, b)
    names = [r.user.pk for r in recipients_for(challenge=event.challenge, rule="participants")]
    assert names == [a.pk]
    event.certificates_need_checkin = False
    event.save()
    names = [r.user.pk for r in recipients_for(challenge=event.challenge, rule="participants")]
    assert sorted(names) == sorted([a.pk, b.pk])


# --- teammates --------------------------------------------------------------------------
def test_suggestion_score_on_hand_cases():
    # Needs mobile and design; has backend. A mobile+design person: 3+3; +data: +1.
    score = teammates.suggestion_score
    assert score({"mobile", "design"}, needed={"mobile", "design"}, have={"backend"}) == 6
    assert score({"mobile", "data"}, needed={"mobile", "design"}, have={"backend"}) == 4
    assert score({"backend"}, needed={"mobile"}, have={"backend"}) == 0
    assert score(set(), needed={"mobile"}, have=set()) == 0


def test_suggestions_rank_people_who_complement_the_team():
    event = hackathon(capacity=5)
    lead, coder, designer, twin = people(3 + 1)
    lead_reg = confirmed(event, lead)
    teammates.save_listing(
        registration=lead_reg, looking=False, skills=["backend"], tags="", idea="", by=lead
    )
    team = TeamFactory(challenge=event.challenge, lead=lead)
    teammates.add_open_role(team=team, event=event, title="UI", skills=["design"], by=lead)
    for person, skills in ((coder, ["backend", "mobile"]), (designer, ["design"]), (twin, [])):
        teammates.save_listing(
            registration=confirmed(event, person),
            looking=True,
            skills=skills,
            tags="",
            idea="",
            by=person,
        )
    ranked = [(score, r.user) for score, r in teammates.suggestions(team, event)]
    assert ranked == [(3, designer), (1, coder), (0, twin)]


def test_request_accepted_joins_the_team_and_shares_contacts_then():
    event = hackathon(capacity=5)
    lead, person = people(2)
    confirmed(event, lead)
    mine = confirmed(event, person)
    teammates.save_listing(
        registration=mine, looking=True, skills=["design"], tags="Figma", idea="", by=person
    )
    team = TeamFactory(challenge=event.challenge, lead=lead)
    request = teammates.invite_person(team=team, registration=mine, by=lead)
    with pytest.raises(NotAllowed):  # the team cannot answer its own request
        teammates.answer_request(request=request, accept=True, by=lead)
    teammates.answer_request(request=request, accept=True, by=person)
    assert TeamMembership.objects.filter(team=team, user=person).exists()
    mine.refresh_from_db()
    assert mine.looking_for_team is False
    assert person.email in teammates.contact_for(mine)


def test_a_minors_guardian_contact_is_shared_instead_of_their_own():
    event = hackathon(capacity=5)
    (kid,) = people(
        1,
        birth_date=date(2026 - 16, 3, 1),
        guardian_name="Dilnoza Karimova",
        guardian_contact="+998901112233",
        guardian_consent=True,
        telegram="@kid",
    )
    mine = confirmed(event, kid)
    contact = teammates.contact_for(mine)
    assert "Dilnoza Karimova" in contact
    assert kid.email not in contact
    assert "@kid" not in contact


def test_team_size_limit_applies_on_accept():
    event = hackathon(capacity=5)
    event.challenge.team_min_size = 1
    event.challenge.team_max_size = 1
    event.challenge.save()
    lead, person = people(2)
    confirmed(event, lead)
    mine = confirmed(event, person)
    teammates.save_listing(registration=mine, looking=True, skills=[], tags="", idea="", by=person)
    team = TeamFactory(challenge=event.challenge, lead=lead)
    request = teammates.invite_person(team=team, registration=mine, by=lead)
    with pytest.raises(Refused):
        teammates.answer_request(request=request, accept=True, by=person)
    assert not TeamMembership.objects.filter(team=team, user=person).exists()


def test_only_people_with_a_place_list_themselves():
    event = hackathon(capacity=1)
    a, b = people(2)
    confirmed(event, a)
    waiting = reg.register(event=event, by=b)
    with pytest.raises(Refused):
        teammates.save_listing(
            registration=waiting, looking=True, skills=[], tags="", idea="", by=b
        )


def test_a_volunteer_checks_people_in_and_does_nothing_else():
    from hackathons.forms import EventForm

    event = hackathon(admission="by_staff")
    volunteer, a = people(2)
    form = EventForm(
        {
            "venue": event.venue,
            "registration_opens": event.registration_opens.strftime("%Y-%m-%dT%H:%M"),
            "registration_closes": event.registration_closes.strftime("%Y-%m-%dT%H:%M"),
            "capacity": 2,
            "admission": "by_staff",
            "hours_to_confirm": 24,
            "volunteer_emails": volunteer.email.upper(),
        },
        instance=event,
    )
    assert form.is_valid(), form.errors
    form.save()
    waiting = reg.register(event=event, by=a)
    with pytest.raises(NotAllowed):
        reg.accept(event=event, registration_ids=[waiting.pk], by=volunteer)
    reg.accept(event=event, registration_ids=[waiting.pk], by=staff_of(event))
    _record, created = checkin.check_in(event=event, token=checkin.token_for(waiting), by=volunteer)
    assert created
