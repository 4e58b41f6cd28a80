# ruff: noqa: RUF001 -- Russian labels: Cyrillic letters are meant, not confusables
"""The entry form built from a challenge's questions: types, limits, conditions, languages."""

import pytest
from django.utils import translation

from submissions.services.answers import (
    build_form,
    freeze,
    questions_for,
    shown,
    submit_problems,
)
from tests.factories import ChallengeFactory, EntryFieldFactory, RegionFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge():
    return ChallengeFactory(entry_form=False)


def ask(challenge, name, field_type, **options):
    options.setdefault("label", name.replace("_", " ").title())
    return EntryFieldFactory(challenge=challenge, clean_name=name, field_type=field_type, **options)


def posted(challenge, data, *, submit=False):
    form = build_form(questions_for(challenge), data=data, submit=submit)
    valid = form.is_valid()
    return valid, (form.answers() if valid else {}), form.errors


# --- each type ----------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "ok"), [("a" * 10, True), ("a" * 11, False), ("", True)])
def test_short_text_holds_max_characters(challenge, value, ok):
    ask(challenge, "name", "short_text", max_length=10)

    valid, answers, _errors = posted(challenge, {"name": value})

    assert valid is ok
    assert answers == ({"name": value} if ok and value else {})


@pytest.mark.parametrize(("words", "ok"), [(5, True), (6, False)])
def test_long_text_holds_max_words(challenge, words, ok):
    ask(challenge, "story", "long_text", max_words=5)

    valid, _answers, errors = posted(challenge, {"story": " ".join(["soʻz"] * words)})

    assert valid is ok
    if not ok:
        assert "Up to 5 words" in errors["story"][0]


def test_long_text_announces_its_word_limit_to_the_counter(challenge):
    ask(challenge, "story", "long_text", max_words=150)

    html = str(build_form(questions_for(challenge))["story"])

    assert 'data-max-words="150"' in html


@pytest.mark.parametrize(
    ("value", "integer_only", "ok", "stored"),
    [
        ("1", True, True, 1),
        ("10", True, True, 10),
        ("0", True, False, None),
        ("11", True, False, None),
        ("2.5", True, False, None),
        ("2.5", False, True, "2.5"),
        ("10.0001", False, False, None),
        ("abc", False, False, None),
    ],
)
def test_number_holds_bounds_and_whole_numbers(challenge, value, integer_only, ok, stored):
    ask(challenge, "members", "number", min_value=1, max_value=10, integer_only=integer_only)

    valid, answers, _errors = posted(challenge, {"members": value})

    assert valid is ok
    if ok:
        assert answers == {"members": stored}


def test_zero_is_an_answer(challenge):
    ask(challenge, "prizes_won", "number", integer_only=True, required=True)

    valid, answers, _errors = posted(challenge, {"prizes_won": "0"}, submit=True)

    assert valid
    assert answers == {"prizes_won": 0}


@pytest.mark.parametrize("widget", ["radio", "dropdown"])
def test_single_choice_stores_the_key_and_refuses_other_values(challenge, widget):
    ask(challenge, "stage", "single_choice", choices="Gʻoya\nPrototip\nMahsulot", widget=widget)

    assert posted(challenge, {"stage": "prototip"})[1] == {"stage": "prototip"}
    valid, _answers, errors = posted(challenge, {"stage": "Startup"})
    assert valid is False
    assert "stage" in errors


def test_multiple_choice_holds_min_and_max_selections(challenge):
    ask(
        challenge,
        "data",
        "multiple_choice",
        choices="Aholi\nTaʼlim\nSogʻliq\nTransport",
        min_choices=2,
        max_choices=3,
    )

    assert posted(challenge, {"data": ["aholi", "talim"]})[1] == {"data": ["aholi", "talim"]}
    assert posted(challenge, {"data": ["aholi", "talim", "sogliq", "transport"]})[0] is False
    assert posted(challenge, {"data": ["ufo"]})[0] is False
    # Fewer than the minimum is a draft's right, not a submission's.
    assert posted(challenge, {"data": ["aholi"]})[0] is True
    assert posted(challenge, {"data": ["aholi"]}, submit=True)[2]["data"] == ["Choose at least 2."]


def test_yes_no_and_date_and_email(challenge):
    ask(challenge, "mentor", "yes_no")
    ask(challenge, "founded", "date")
    ask(challenge, "mail", "email")

    valid, answers, _errors = posted(
        challenge, {"mentor": "yes", "founded": "2026-05-01", "mail": "a@example.uz"}
    )

    assert valid
    assert answers == {"mentor": "yes", "founded": "2026-05-01", "mail": "a@example.uz"}
    assert posted(challenge, {"mentor": "maybe"})[0] is False
    assert posted(challenge, {"founded": "2026-13-01"})[0] is False
    assert posted(challenge, {"mail": "not-an-address"})[0] is False


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://github.com/team/app", True),
        ("http://example.uz", True),
        ("github.com/team", True),
        ("ftp://example.uz/file", False),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_url_accepts_only_http_and_https(challenge, value, ok):
    ask(challenge, "repo", "url")

    assert posted(challenge, {"repo": value})[0] is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("+998 90 123 45 67", True),
        ("+998901234567", True),
        ("(71) 123-45-67", True),
        ("12", False),
        ("call me", False),
        ("+998 90 123 45 67 89 00 11 22 33", False),
    ],
)
def test_phone_has_a_sane_international_shape(challenge, value, ok):
    ask(challenge, "phone", "phone")

    assert posted(challenge, {"phone": value})[0] is ok


def test_region_comes_from_the_regions_list(challenge):
    RegionFactory(code="UZ-TK", name="Toshkent shahri")
    ask(challenge, "region", "region")

    assert posted(challenge, {"region": "UZ-TK"})[1] == {"region": "UZ-TK"}
    assert posted(challenge, {"region": "XX-YY"})[0] is False


def test_consent_is_needed_to_submit_but_not_to_save(challenge):
    ask(challenge, "rules", "consent")

    assert posted(challenge, {})[0] is True
    _valid, _answers, errors = posted(challenge, {}, submit=True)
    assert errors["rules"] == ["Please tick this box to submit."]
    assert posted(challenge, {"rules": "on"}, submit=True)[1] == {"rules": True}


def test_required_questions_wait_for_submit(challenge):
    ask(challenge, "summary", "long_text", required=True)

    assert posted(challenge, {"summary": ""})[0] is True
    assert posted(challenge, {"summary": ""}, submit=True)[2]["summary"] == [
        "This answer is needed to submit."
    ]
    assert submit_problems(questions_for(challenge), {}) == [
        "Summary: This answer is needed to submit."
    ]
    assert submit_problems(questions_for(challenge), {"summary": "Bor"}) == []


def test_file_questions_are_upload_slots_not_inputs(challenge):
    ask(challenge, "deck", "file", file_kind="pitch_deck")

    assert list(build_form(questions_for(challenge)).fields) == []


# --- conditions ---------------------------------------------------------------------------
@pytest.fixture
def mentor_form(challenge):
    ask(challenge, "has_mentor", "yes_no", label_en="Do you have a mentor?")
    ask(
        challenge,
        "mentor_name",
        "short_text",
        required=True,
        condition_field="has_mentor",
        condition_value="yes",
    )
    ask(
        challenge,
        "mentor_email",
        "email",
        condition_field="mentor_name",
        condition_value="Aziza",
    )
    return challenge


def test_condition_met_asks_and_stores_the_answer(mentor_form):
    valid, answers, _errors = posted(
        mentor_form, {"has_mentor": "yes", "mentor_name": "Aziza"}, submit=True
    )

    assert valid
    assert answers == {"has_mentor": "yes", "mentor_name": "Aziza"}


def test_condition_met_makes_a_required_answer_needed(mentor_form):
    _valid, _answers, errors = posted(mentor_form, {"has_mentor": "yes"}, submit=True)

    assert errors["mentor_name"] == ["This answer is needed to submit."]


def test_condition_unmet_drops_a_value_posted_anyway(mentor_form):
    valid, answers, _errors = posted(
        mentor_form,
        {"has_mentor": "no", "mentor_name": "Aziza", "mentor_email": "not an e-mail"},
        submit=True,
    )

    # Not asked: neither stored nor validated, and a required one is not needed.
    assert valid
    assert answers == {"has_mentor": "no"}


def test_condition_on_an_unasked_question_is_unmet_too(mentor_form):
    valid, answers, _errors = posted(
        mentor_form, {"mentor_name": "Aziza", "mentor_email": "a@b.uz"}, submit=False
    )

    assert valid
    assert answers == {}


def test_condition_on_a_choice_compares_its_key(challenge):
    ask(challenge, "stage", "multiple_choice", choices="Gʻoya\nPrototip")
    ask(challenge, "demo", "url", condition_field="stage", condition_value="Prototip")

    assert posted(challenge, {"stage": ["prototip"], "demo": "https://x.uz"})[1] == {
        "stage": ["prototip"],
        "demo": "https://x.uz",
    }
    assert posted(challenge, {"stage": ["goya"], "demo": "https://x.uz"})[1] == {"stage": ["goya"]}


def test_conditional_field_is_labelled_and_marked_for_the_script(mentor_form):
    with translation.override("en"):
        form = build_form(questions_for(mentor_form))

    field = form.fields["mentor_name"]
    assert field.condition_text == "Only if “Do you have a mentor?” is “Yes”"
    assert field.show_when == {"name": "has_mentor", "value": "yes"}


# --- tracks and archive ------------------------------------------------------------------
def test_questions_limited_to_a_track_are_asked_only_there(challenge):
    junior, senior = TrackFactory(challenge=challenge), TrackFactory(challenge=challenge)
    question = ask(challenge, "school", "short_text")
    question.tracks.set([junior])
    question.save()  # a ParentalManyToManyField is written on save
    ask(challenge, "archived_one", "short_text", archived=True)
    ask(challenge, "everyone", "short_text")

    assert [q.clean_name for q in questions_for(challenge, track=junior)] == ["school", "everyone"]
    assert [q.clean_name for q in questions_for(challenge, track=senior)] == ["everyone"]


# --- languages ----------------------------------------------------------------------------
def test_labels_follow_the_language_and_fall_back_visibly(challenge):
    ask(
        challenge,
        "stage",
        "single_choice",
        label="Bosqich",
        label_ru="Этап",
        label_en="",
        help_text="Bittasini tanlang",
        choices="Gʻoya\nPrototip",
        choices_ru="Идея\nПрототип",
    )

    with translation.override("ru"):
        ru = str(build_form(questions_for(challenge))["stage"].label_tag())
        ru_choices = str(build_form(questions_for(challenge))["stage"])
    with translation.override("en"):
        en = build_form(questions_for(challenge))
        en_label = str(en["stage"].label_tag())
        en_help = str(en["stage"].help_text)

    assert "Этап" in ru
    assert "lang=" not in ru
    assert "Идея" in ru_choices
    assert "Прототип" in ru_choices
    assert '<span lang="uz">Bosqich</span>' in en_label
    assert '<span lang="uz">Bittasini tanlang</span>' in en_help
    assert '<span lang="uz">Gʻoya</span>' in str(en["stage"])  # choices fall back visibly too


def test_a_fallback_label_is_escaped(challenge):
    ask(challenge, "x", "short_text", label="<script>alert(1)</script>")

    with translation.override("en"):
        html = str(build_form(questions_for(challenge))["x"].label_tag())

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# --- frozen answers -----------------------------------------------------------------------
def test_frozen_answers_keep_labels_and_choice_labels(challenge):
    stage = ask(challenge, "stage", "single_choice", choices="Gʻoya\nPrototip", choices_en="Idea\n")
    phone = ask(challenge, "phone", "phone", visibility="staff")
    frozen = freeze(questions_for(challenge), {"stage": "goya", "phone": "+998901234567"})
    stage.label, stage.choices = "Yangi savol", "Boshqa\nPrototip"
    stage.save()
    phone.delete()

    with translation.override("en"):
        staff = shown(frozen, audience="staff")
        jurors = shown(frozen, audience="jurors")

    assert [(a["label"], a["text"]) for a in staff] == [
        ("Stage", "Idea"),
        ("Phone", "+998901234567"),
    ]
    assert [a["key"] for a in jurors] == ["stage"]


def test_blind_rounds_leave_out_answers_marked_so(challenge):
    ask(challenge, "school", "short_text", hide_in_blind=True)
    ask(challenge, "idea", "short_text")
    frozen = freeze(questions_for(challenge), {"school": "42-maktab", "idea": "Ilova"})

    assert [a["key"] for a in shown(frozen, audience="jurors", blind=True)] == ["idea"]
    assert [a["key"] for a in shown(frozen, audience="jurors")] == ["school", "idea"]
