"""Each challenge's file requirements become file questions of its entry form: same kind
(the upload path stays keyed by it), same limits, required or not. Reversible."""

from django.db import migrations

# The kinds' labels as the catalogues translated them when this migration was written.
LABELS = {
    "pitch_deck": ("Taqdimot (PDF)", "Презентация (PDF)", "Pitch deck (PDF)"),
    "image": ("Rasm", "Изображение", "Image"),
    "source": ("Manba kodi (ZIP)", "Исходный код (ZIP)", "Source code (ZIP)"),
    "video": ("Video", "Видео", "Video"),
    "document": ("Hujjat (PDF)", "Документ (PDF)", "Document (PDF)"),
}
#: File questions come after the other questions.
FIRST_FILE_ORDER = 1000


def question_for(requirement, order):
    uz, ru, en = LABELS.get(requirement["kind"], (requirement["kind"],) * 3)
    return {
        "clean_name": f"file_{requirement['kind']}",
        "field_type": "file",
        "file_kind": requirement["kind"],
        "label": uz,
        "label_ru": ru,
        "label_en": en,
        "required": requirement["required"],
        "max_size_mb": requirement["max_size_mb"],
        "max_files": requirement["max_files"],
        "sort_order": FIRST_FILE_ORDER + order,
        "visibility": "jurors",
    }


def forward(apps, schema_editor):
    FileRequirement = apps.get_model("challenges", "FileRequirement")
    EntryField = apps.get_model("challenges", "EntryField")
    rows = FileRequirement.objects.order_by("challenge_id", "sort_order", "id").values(
        "challenge_id", "kind", "required", "max_size_mb", "max_files"
    )
    orders = {}
    for row in rows:
        order = orders[row["challenge_id"]] = orders.get(row["challenge_id"], -1) + 1
        values = question_for(row, order)
        EntryField.objects.update_or_create(
            challenge_id=row["challenge_id"], clean_name=values.pop("clean_name"), defaults=values
        )


def backward(apps, schema_editor):
    FileRequirement = apps.get_model("challenges", "FileRequirement")
    EntryField = apps.get_model("challenges", "EntryField")
    for order, question in enumerate(EntryField.objects.filter(field_type="file").order_by("id")):
        FileRequirement.objects.get_or_create(
            challenge_id=question.challenge_id,
            kind=question.file_kind,
            defaults={
                "required": question.required,
                "max_size_mb": question.max_size_mb or 20,
                "max_files": question.max_files or 1,
                "sort_order": order,
            },
        )
    EntryField.objects.filter(field_type="file").delete()


class Migration(migrations.Migration):
    dependencies = [("challenges", "0007_remove_submission_form_switches")]

    operations = [migrations.RunPython(forward, backward)]
