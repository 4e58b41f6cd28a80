# ruff: noqa: RUF001 -- Russian demo text: Cyrillic letters are meant, not confusables
"""Each demo challenge's own questions (besides the default form) and the demo entries'
answers to them: Technovation asks about a mentor (a conditional question) and a team photo,
the COVID-19 Challenge the stage and target group, the Open Data Challenge the datasets
and their licence."""

from challenges.models import EntryField
from challenges.services.entry_forms import add_file_question

COVID, TECHNOVATION, OPEN_DATA = (
    "covid-19-challenge-2020",
    "technovation-challenge",
    "open-data-challenge",
)

QUESTIONS = {
    COVID: [
        {
            "clean_name": "stage",
            "field_type": "single_choice",
            "label": "Loyiha bosqichi",
            "label_ru": "Стадия проекта",
            "label_en": "Project stage",
            "choices": "Gʻoya\nPrototip\nMahsulot",
            "choices_ru": "Идея\nПрототип\nПродукт",
            "choices_en": "Idea\nPrototype\nProduct",
            "required": True,
        },
        {
            "clean_name": "target_group",
            "field_type": "multiple_choice",
            "label": "Maqsadli guruh",
            "label_ru": "Целевая группа",
            "label_en": "Target group",
            "choices": "Keksalar\nShifokorlar\nOilalar\nKoʻngillilar",
            "choices_ru": "Пожилые люди\nВрачи\nСемьи\nВолонтёры",
            "choices_en": "Older people\nDoctors\nFamilies\nVolunteers",
            "max_choices": 3,
        },
    ],
    TECHNOVATION: [
        {
            "clean_name": "has_mentor",
            "field_type": "yes_no",
            "label": "Mentoringiz bormi?",
            "label_ru": "Есть ли у вас наставник?",
            "label_en": "Do you have a mentor?",
            "required": True,
        },
        {
            "clean_name": "mentor_name",
            "field_type": "short_text",
            "label": "Mentorning ismi",
            "label_ru": "Имя наставника",
            "label_en": "Mentor's name",
            "max_length": 200,
            "required": True,
            "condition_field": "has_mentor",
            "condition_value": "yes",
            "hide_in_blind": True,
        },
        {
            "clean_name": "mentor_email",
            "field_type": "email",
            "label": "Mentorning e-pochtasi",
            "label_ru": "E-mail наставника",
            "label_en": "Mentor's e-mail",
            "visibility": "staff",
            "condition_field": "has_mentor",
            "condition_value": "yes",
        },
    ],
    OPEN_DATA: [
        {
            "clean_name": "datasets",
            "field_type": "long_text",
            "label": "Foydalanilgan ochiq maʼlumotlar",
            "label_ru": "Использованные открытые данные",
            "label_en": "Open datasets used",
            "help_text": "Har bir toʻplamning nomi va havolasi",
            "help_text_ru": "Название и ссылка каждого набора",
            "help_text_en": "The name and link of each dataset",
            "max_words": 200,
            "required": True,
        },
        {
            "clean_name": "licence",
            "field_type": "single_choice",
            "widget": "dropdown",
            "label": "Maʼlumotlar litsenziyasi",
            "label_ru": "Лицензия данных",
            "label_en": "Data licence",
            "choices": "CC BY 4.0\nCC0\nODbL\nBoshqa",
            "choices_ru": "CC BY 4.0\nCC0\nODbL\nДругая",
            "choices_en": "CC BY 4.0\nCC0\nODbL\nOther",
        },
    ],
}


def add_questions(challenge):
    """The challenge's own questions after the default form (idempotent)."""
    for order, spec in enumerate(QUESTIONS.get(challenge.slug, [])):
        EntryField.objects.get_or_create(
            challenge=challenge,
            clean_name=spec["clean_name"],
            defaults={**spec, "sort_order": 100 + order},
        )
    if challenge.slug == TECHNOVATION:
        question = add_file_question(challenge=challenge, kind="image", max_size_mb=5)
        if question.label != "Jamoa surati":
            question.label, question.label_ru, question.label_en = (
                "Jamoa surati",
                "Фото команды",
                "Team photo",
            )
            question.save(update_fields=["label", "label_ru", "label_en"])


def answers_for(challenge, rng):
    """A demo entry's answers to its challenge's own questions."""
    if challenge.slug == COVID:
        return {
            "stage": rng.choice(["goya", "prototip", "mahsulot"]),
            "target_group": rng.sample(["keksalar", "shifokorlar", "oilalar", "kongillilar"], 2),
        }
    if challenge.slug == TECHNOVATION:
        if rng.random() < 0.6:
            return {
                "has_mentor": "yes",
                "mentor_name": rng.choice(
                    ["Dilnoza Karimova", "Malika Yusupova", "Aziza Rahimova"]
                ),
                "mentor_email": "mentor@example.uz",
            }
        return {"has_mentor": "no"}
    if challenge.slug == OPEN_DATA:
        return {
            "datasets": "data.egov.uz: maktablar roʻyxati; havo sifati (UZHYDROMET).",
            "licence": rng.choice(["cc_by_40", "cc0", "odbl"]),
        }
    return {}
