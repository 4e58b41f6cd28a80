import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "uz_regions.json"


def load_regions(apps, schema_editor):
    Region = apps.get_model("challenges", "Region")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["regions"]:
        Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["uz"], "name_ru": row["ru"], "name_en": row["en"]},
        )


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
