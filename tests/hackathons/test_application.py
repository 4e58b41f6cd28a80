"""Application questions: the entry form builder's questions asked when registering."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset
from wagtail.users.models import UserProfile

from challenges.models import Challenge
from core.errors import Conflict
from hackathons.models import Registration
from hackathons.services import registration as reg
from hackathons.services.errors import HackathonRefused
from judging.forms import RoundForm
from judging.selectors import followup_questions
from submissions.services.answers import questions_for
from tests.challenges.test_admin import challenge_form
from tests.challenges.test_entry_fields import question
from tests.factories import EntryFieldFactory, RoundFactory

from .helpers import hackathon, people

pytestmark = pytest.mark.django_db


def with_questions(event):
    challenge = event.challenge
    level = EntryFieldFactory(
        challenge=challenge,
        stage="application",
        field_type="single_choice",
        label="Tajribangiz",
        label_en="Your experience",
        clean_name="tajriba",
        choices="Boshlovchi\nTajribali",
        choices_en="Beginner\nExperienced",
        required=True,
    )
    team = EntryFieldFactory(
        challenge=challenge,
        stage="application",
        field_type="yes_no",
        label="Jamoangiz bormi?",
        label_en="Do you have a team?",
        clean_name="jamoa",
    )
    size = EntryFieldFactory(
        challenge=challenge,
        stage="application",
        field_type="number",
        integer_only=True,
        label="Necha kishi?",
        label_en="How many people?",
        clean_name="necha",
        condition_field="jamoa",
        condition_value="yes",
        required=True,
    )
    return level, team, size


def page(event):
    return f"/en/hackathons/{event.challenge.slug}/"


def test_the_questions_are_on_the_registration_page_with_their_labels(client):
    event = hackathon()
    with_questions(event)
    (a,) = people(1)
    client.force_login(a)
    html = client.get(page(event)).content.decode()
    assert "Your experience" in html
    assert "Experienced" in html
    assert "Do you have a team?" in html
    assert 'name="application-tajriba"' in html


def test_a_missing_required_answer_is_refused_and_nothing_saved(client):
    event = hackathon()
    with_questions(event)
    (a,) = people(1)
    client.force_login(a)
    response = client.post(page(event) + "register/", {"application-jamoa": "no"})
    assert response.status_code == 400
    assert "This answer is needed to submit." in response.content.decode()
    assert not Registration.objects.filter(user=a).exists()
    # A conditional question is required only when asked.
    response = client.post(
        page(event) + "register/", {"application-tajriba": "tajribali", "application-jamoa": "yes"}
    )
    assert response.status_code == 400
    assert not Registration.objects.filter(user=a).exists()


def test_a_malformed_answer_is_refused_by_the_service_too():
    event = hackathon()
    with_questions(event)
    (a,) = people(1)
    with translation.override("en"), pytest.raises(HackathonRefused) as refused:
        reg.register(event=event, by=a, answers={"tajriba": "expert"})
    assert "Your experience" in str(refused.value)
    assert not Registration.objects.filter(user=a).exists()


def test_valid_answers_are_frozen_with_their_labels_and_staff_see_them(client, manager):
    event = hackathon()
    with_questions(event)
    (a,) = people(1)
    client.force_login(a)
    response = client.post(
        page(event) + "register/",
        {"application-tajriba": "tajribali", "application-jamoa": "yes", "application-necha": "3"},
    )
    assert response.status_code == 302
    mine = Registration.objects.get(user=a)
    by_key = {item["key"]: item for item in mine.answers}
    assert by_key["tajriba"]["value"] == "tajribali"
    assert by_key["tajriba"]["labels"]["en"] == "Your experience"
    assert by_key["tajriba"]["choices"]["tajribali"]["en"] == "Experienced"
    assert by_key["necha"]["value"] == 3
    # Relabelling the question later changes nothing already given.
    event.challenge.entry_fields.filter(clean_name="tajriba").update(label_en="Level")
    staff = manager
    event.challenge.managers.add(staff)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)
    html = client.get(
        reverse("hackathons_admin:registrations", args=[event.challenge.pk])
    ).content.decode()
    assert "Your experience" in html
    assert "Experienced" in html
    assert "How many people?" in html


def test_a_conditional_answer_not_asked_is_not_kept():
    event = hackathon()
    with_questions(event)
    (a,) = people(1)
    mine = reg.register(event=event, by=a, answers={"tajriba": "boshlovchi", "necha": "4"})
    assert [item["key"] for item in mine.answers] == ["tajriba"]


def test_an_answered_application_question_is_archived_not_deleted():
    event = hackathon()
    level, team, _size = with_questions(event)
    (a,) = people(1)
    reg.register(event=event, by=a, answers={"tajriba": "boshlovchi"})
    assert level.has_answers()
    assert not team.has_answers()
    with pytest.raises(Conflict):
        level.delete()
    team.delete()


def test_application_questions_are_never_on_the_entry_form_nor_a_followup():
    event = hackathon()
    level, _team, _size = with_questions(event)
    challenge = event.challenge
    assert level not in questions_for(challenge)
    round_ = RoundFactory(challenge=challenge)
    round_.followup_questions.add(level)  # as if forced past the form's choices
    assert followup_questions(round_) == []
    assert level not in RoundForm(challenge=challenge).fields["followup_questions"].queryset


def test_a_file_question_is_refused_at_the_application_stage(client, manager):
    field = EntryFieldFactory.build(
        challenge=hackathon().challenge,
        stage="application",
        field_type="file",
        file_kind="document",
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            field.clean()
        assert "cannot ask for a file" in str(refused.value)  # the message is lazy
    # And so in the Wagtail admin's challenge form.
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(manager)
    row = question(stage="application", field_type="file", file_kind="document")
    response = client.post(
        reverse("challenge:add"), challenge_form(entry_fields=inline_formset([row]))
    )
    assert response.status_code == 200
    assert "cannot ask for a file" in response.content.decode()
    assert not Challenge.objects.filter(slug="open-data-2027").exists()
