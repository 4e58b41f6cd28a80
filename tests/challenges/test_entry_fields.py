"""Staff build a challenge's entry form in the Wagtail admin (an ordered inline of questions)."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from challenges.models import Challenge, EntryField
from core.errors import Conflict
from tests.challenges.test_admin import challenge_form
from tests.factories import ChallengeFactory, EntryFieldFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def question(**values):
    row = {
        "field_type": "short_text",
        "label": "Savol",
        "label_ru": "",
        "label_en": "",
        "help_text": "",
        "choices": "",
        "widget": "radio",
        "visibility": "jurors",
        "condition_field": "",
        "condition_value": "",
    }
    row.update(values)
    return row


def edit_form(challenge, rows):
    """The challenge's edit form as the admin posts it, with ``rows`` as its questions."""
    data = {
        "title": challenge.title,
        "slug": challenge.slug,
        "kind": challenge.kind,
        "organiser": challenge.organiser,
        "time_zone": challenge.time_zone,
        "grace_minutes": 0,
        "gender_rule": "any",
        "team_min_size": 1,
        "team_max_size": 5,
        "phases": inline_formset([]),
        "tracks": inline_formset([]),
        "prizes": inline_formset([]),
        "entry_fields": inline_formset(rows, initial=len([r for r in rows if "id" in r])),
    }
    return nested_form_data(data)


def test_a_new_challenge_starts_with_the_default_form(client, manager):
    client.force_login(manager)

    response = client.post(reverse("challenge:add"), challenge_form())

    assert response.status_code == 302
    challenge = Challenge.objects.get(slug="open-data-2027")
    assert [f.clean_name for f in challenge.entry_fields.all()] == [
        "summary",
        "problem",
        "solution",
        "target_users",
        "technology",
        "repository_url",
        "video_url",
        "prototype_url",
    ]
    summary = challenge.entry_fields.get(clean_name="summary")
    assert (summary.label, summary.label_ru, summary.label_en) == (
        "Qisqacha tavsif",
        "Краткое описание",
        "Short summary",
    )
    assert summary.required


def test_staff_build_a_form_with_a_conditional_question(client, manager):
    client.force_login(manager)
    rows = [
        question(field_type="yes_no", label="Mentoringiz bormi?", label_en="Do you have a mentor?"),
        question(
            label="Mentorning ismi",
            condition_field="Mentoringiz bormi?",
            condition_value="yes",
            required="on",
        ),
        question(
            field_type="single_choice",
            label="Bosqich",
            choices="Gʻoya\nPrototip",
            choices_en="Idea\nPrototype",
            widget="dropdown",
        ),
    ]

    response = client.post(
        reverse("challenge:add"), challenge_form(entry_fields=inline_formset(rows))
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    fields = list(Challenge.objects.get(slug="open-data-2027").entry_fields.all())
    assert [(f.clean_name, f.field_type) for f in fields] == [
        ("mentoringiz_bormi", "yes_no"),
        ("mentorning_ismi", "short_text"),
        ("bosqich", "single_choice"),
    ]
    # The condition named the question by its label; it is stored by its name.
    assert fields[1].condition_field == "mentoringiz_bormi"
    assert fields[2].choice_list()[0] == ("goya", {"uz": "Gʻoya", "ru": "", "en": "Idea"})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            question(field_type="single_choice", choices=""),
            "A choice question needs at least one choice.",
        ),
        (question(field_type="single_choice", choices="Ha\nHa"), "Two choices have the same name"),
        (question(label="Title"), "This name is used by the entry form itself"),
        (question(condition_field="nothing_like_this"), "Name another question of this form"),
        (
            question(field_type="number", min_value="10", max_value="1"),
            "The maximum is below the minimum.",
        ),
        (question(field_type="file"), "A file question needs a file kind."),
        (
            question(field_type="file", file_kind="budget"),
            "Name the accepted types: this kind of file has no default list.",
        ),
    ],
)
def test_a_broken_question_is_refused(client, manager, row, message):
    client.force_login(manager)

    response = client.post(
        reverse("challenge:add"), challenge_form(entry_fields=inline_formset([row]))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Challenge.objects.filter(slug="open-data-2027").exists()


def test_a_question_with_answers_cannot_be_deleted_only_archived(client, manager):
    challenge = ChallengeFactory(entry_form=False)
    challenge.managers.add(manager)
    kept = EntryFieldFactory(challenge=challenge, clean_name="idea", label="Gʻoya")
    SubmissionFactory(challenge=challenge, answers={"idea": "Ilova"})
    client.force_login(manager)
    url = reverse("challenge:edit", args=[challenge.pk])

    deleting = client.post(
        url, edit_form(challenge, [question(id=kept.pk, label="Gʻoya", DELETE="on")])
    )
    archiving = client.post(
        url, edit_form(challenge, [question(id=kept.pk, label="Gʻoya", archived="on")])
    )

    assert "has answers: archive it instead of deleting it." in deleting.content.decode()
    assert archiving.status_code == 302, archiving.content.decode()[:2000]
    kept.refresh_from_db()
    assert kept.archived


def test_deleting_a_question_with_answers_is_refused_in_code_too():
    challenge = ChallengeFactory(entry_form=False)
    answered = EntryFieldFactory(challenge=challenge, clean_name="idea")
    unanswered = EntryFieldFactory(challenge=challenge, clean_name="other")
    SubmissionFactory(challenge=challenge, answers={"idea": "Ilova"})

    with pytest.raises(Conflict):
        answered.delete()
    unanswered.delete()

    assert list(
        EntryField.objects.filter(challenge=challenge).values_list("clean_name", flat=True)
    ) == ["idea"]


def test_a_question_without_answers_can_be_deleted(client, manager):
    challenge = ChallengeFactory(entry_form=False)
    challenge.managers.add(manager)
    gone = EntryFieldFactory(challenge=challenge, clean_name="idea", label="Gʻoya")
    client.force_login(manager)

    response = client.post(
        reverse("challenge:edit", args=[challenge.pk]),
        edit_form(challenge, [question(id=gone.pk, label="Gʻoya", DELETE="on")]),
    )

    assert response.status_code == 302
    assert not EntryField.objects.filter(pk=gone.pk).exists()


def test_staff_add_a_file_question_and_cannot_ask_for_one_kind_twice(client, manager):
    client.force_login(manager)
    deck = question(field_type="file", label="Taqdimot", file_kind="pitch_deck", max_size_mb="20")
    twice = question(field_type="file", label="Yana taqdimot", file_kind="pitch_deck")

    refused = client.post(
        reverse("challenge:add"), challenge_form(entry_fields=inline_formset([deck, twice]))
    )
    added = client.post(
        reverse("challenge:add"), challenge_form(entry_fields=inline_formset([deck]))
    )

    assert "The form already asks for a file of this kind." in refused.content.decode()
    assert added.status_code == 302
    file_question = Challenge.objects.get(slug="open-data-2027").entry_fields.get()
    assert (file_question.file_kind, file_question.content_types) == (
        "pitch_deck",
        ["application/pdf"],
    )


def test_a_question_name_never_starts_with_a_digit():
    question = EntryFieldFactory(clean_name="", label="2025-yilda nechta foydalanuvchi?")

    assert question.clean_name == "q_2025_yilda_nechta_foydalanuvchi"
