"""The entry form a challenge starts with, and the rules for changing a form in use."""

from django.db import transaction

from ..enums import EntryFieldType

#: The questions every entry answered before forms could be built per challenge; their
#: names are the old column names, so earlier answers keep their keys.
DEFAULT_QUESTIONS = [
    (
        "summary",
        EntryFieldType.LONG_TEXT,
        1000,
        ("Qisqacha tavsif", "Краткое описание", "Short summary"),
    ),
    ("problem", EntryFieldType.LONG_TEXT, 4000, ("Muammo", "Проблема", "Problem")),
    ("solution", EntryFieldType.LONG_TEXT, 5000, ("Yechim", "Решение", "Solution")),
    (
        "target_users",
        EntryFieldType.LONG_TEXT,
        3000,
        ("Maqsadli foydalanuvchilar", "Целевые пользователи", "Target users"),
    ),
    ("technology", EntryFieldType.LONG_TEXT, 3000, ("Texnologiya", "Технологии", "Technology")),
    ("repository_url", EntryFieldType.URL, None, ("Repozitoriy", "Репозиторий", "Repository")),
    ("video_url", EntryFieldType.URL, None, ("Demo video", "Демо-видео", "Demo video")),
    ("prototype_url", EntryFieldType.URL, None, ("Prototip", "Прототип", "Prototype")),
]

#: Which default question each of the old "required" switches of a challenge made required.
REQUIRED_BY_DEFAULT = {"summary": True, "repository_url": False, "video_url": False}


@transaction.atomic
def ensure_default_form(*, challenge, required=None):
    """Give ``challenge`` the default entry form if it has no questions yet (idempotent).

    ``required`` maps default question names to whether they are required to submit
    (default: only the summary). Returns the questions created (none when a form exists).
    Side effects: ``EntryField`` rows.
    """
    from ..models import EntryField

    if EntryField.objects.filter(challenge=challenge, stage="entry").exists():
        return []
    required = {**REQUIRED_BY_DEFAULT, **(required or {})}
    created = []
    for order, (name, kind, max_length, (uz, ru, en)) in enumerate(DEFAULT_QUESTIONS):
        created.append(
            EntryField(
                challenge=challenge,
                sort_order=order,
                clean_name=name,
                field_type=kind,
                label=uz,
                label_ru=ru,
                label_en=en,
                max_length=max_length,
                required=required.get(name, False),
            )
        )
    return EntryField.objects.bulk_create(created)


#: File questions come after the other questions of the default form.
FIRST_FILE_ORDER = 1000


def add_file_question(*, challenge, kind, required=False, max_size_mb=20, max_files=1):
    """A file question (an upload slot) for ``kind``, labelled with the kind's name in each
    language; returns the existing one if the form already asks for this kind.

    Side effects: an ``EntryField`` row.
    """
    from django.conf import settings
    from django.utils import translation

    from ..enums import FileKind
    from ..models import EntryField

    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels[code] = str(FileKind(kind).label)
    taken = EntryField.objects.filter(challenge=challenge).count()
    question, _created = EntryField.objects.get_or_create(
        challenge=challenge,
        field_type=EntryFieldType.FILE,
        file_kind=kind,
        defaults={
            "clean_name": f"file_{kind}",
            "label": labels[settings.LANGUAGE_CODE],
            "label_ru": labels.get("ru", ""),
            "label_en": labels.get("en", ""),
            "required": required,
            "max_size_mb": max_size_mb,
            "max_files": max_files,
            "sort_order": FIRST_FILE_ORDER + taken,
        },
    )
    return question
