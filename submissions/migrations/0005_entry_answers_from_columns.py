"""Today's fixed entry fields become each challenge's default entry form, and every entry's
column values (and every submitted version's frozen fields) move into answers, losslessly.

The conversions are plain functions over plain data (tested on demo-shaped rows in
tests/submissions/test_answers_migration.py); the reverse migration puts everything back.
"""

from django.db import migrations

# (name, type, max characters, (uz, ru, en)) — a frozen copy of
# challenges.services.entry_forms.DEFAULT_QUESTIONS as it was when this migration was written.
DEFAULT_QUESTIONS = [
    ("summary", "long_text", 1000, ("Qisqacha tavsif", "Краткое описание", "Short summary")),
    ("problem", "long_text", 4000, ("Muammo", "Проблема", "Problem")),
    ("solution", "long_text", 5000, ("Yechim", "Решение", "Solution")),
    (
        "target_users",
        "long_text",
        3000,
        ("Maqsadli foydalanuvchilar", "Целевые пользователи", "Target users"),
    ),
    ("technology", "long_text", 3000, ("Texnologiya", "Технологии", "Technology")),
    ("repository_url", "url", None, ("Repozitoriy", "Репозиторий", "Repository")),
    ("video_url", "url", None, ("Demo video", "Демо-видео", "Demo video")),
    ("prototype_url", "url", None, ("Prototip", "Прототип", "Prototype")),
]
COLUMNS = [name for name, *_rest in DEFAULT_QUESTIONS]
REQUIRED_BY = {
    "summary": "require_summary",
    "repository_url": "require_repository",
    "video_url": "require_video",
}


def default_questions(flags):
    """The default form's rows for a challenge whose old switches are ``flags``."""
    return [
        {
            "sort_order": order,
            "clean_name": name,
            "field_type": kind,
            "label": uz,
            "label_ru": ru,
            "label_en": en,
            "max_length": max_length,
            "required": bool(flags.get(REQUIRED_BY.get(name), False)),
            "visibility": "jurors",
            "hide_in_blind": False,
        }
        for order, (name, kind, max_length, (uz, ru, en)) in enumerate(DEFAULT_QUESTIONS)
    ]


def answers_from_columns(values):
    """``{column: value}`` → answers: every non-empty value, unchanged."""
    return {name: values[name] for name in COLUMNS if values.get(name) not in (None, "")}


def columns_from_answers(answers):
    return {name: answers.get(name, "") or "" for name in COLUMNS}


def frozen_from_old(data, questions):
    """A version frozen with the old fields → the new shape, with the labels of ``questions``
    (the default form's rows). Keys other than the fields stay as they were."""
    if "answers" in data:
        return data
    by_name = {q["clean_name"]: q for q in questions}
    new = {key: value for key, value in data.items() if key not in COLUMNS}
    new["answers"] = []
    for name in COLUMNS:
        value = data.get(name)
        if value in (None, ""):
            continue
        question = by_name[name]
        new["answers"].append(
            {
                "key": name,
                "type": question["field_type"],
                "labels": {
                    "uz": question["label"],
                    "ru": question["label_ru"],
                    "en": question["label_en"],
                },
                "value": value,
                "visibility": question["visibility"],
                "hide_in_blind": question["hide_in_blind"],
            }
        )
    return new


def old_from_frozen(data):
    if "answers" not in data:
        return data
    old = {key: value for key, value in data.items() if key != "answers"}
    values = {item["key"]: item["value"] for item in data["answers"]}
    old.update(columns_from_answers(values))
    return old


def forward(apps, schema_editor):
    Challenge = apps.get_model("challenges", "Challenge")
    EntryField = apps.get_model("challenges", "EntryField")
    Submission = apps.get_model("submissions", "Submission")
    SubmissionVersion = apps.get_model("submissions", "SubmissionVersion")
    rows_by_challenge = {}
    for challenge in Challenge.objects.all():
        flags = {flag: getattr(challenge, flag) for flag in REQUIRED_BY.values()}
        rows = default_questions(flags)
        taken = set(
            EntryField.objects.filter(challenge=challenge).values_list("clean_name", flat=True)
        )
        EntryField.objects.bulk_create(
            EntryField(challenge=challenge, **row) for row in rows if row["clean_name"] not in taken
        )
        rows_by_challenge[challenge.pk] = rows
    for submission in Submission.objects.all().iterator():
        values = {name: getattr(submission, name) for name in COLUMNS}
        submission.answers = {**answers_from_columns(values), **(submission.answers or {})}
        submission.save(update_fields=["answers"])
    versions = SubmissionVersion.objects.select_related("submission").iterator()
    for version in versions:
        rows = rows_by_challenge[version.submission.challenge_id]
        version.data = frozen_from_old(version.data or {}, rows)
        version.save(update_fields=["data"])


def backward(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    SubmissionVersion = apps.get_model("submissions", "SubmissionVersion")
    EntryField = apps.get_model("challenges", "EntryField")
    for submission in Submission.objects.all().iterator():
        for name, value in columns_from_answers(submission.answers or {}).items():
            setattr(submission, name, value)
        submission.save(update_fields=COLUMNS)
    for version in SubmissionVersion.objects.all().iterator():
        version.data = old_from_frozen(version.data or {})
        version.save(update_fields=["data"])
    EntryField.objects.filter(clean_name__in=COLUMNS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0006_entry_fields"),
        ("submissions", "0004_submission_answers"),
    ]

    operations = [migrations.RunPython(forward, backward)]
