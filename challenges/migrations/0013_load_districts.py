import json
from pathlib import Path

from django.db import migrations

from challenges.services.districts import district_code

#: Districts and district-level cities; its "about" says where the facts come from.
DATA = Path(__file__).resolve().parent.parent / "data" / "uz_districts.json"


def load_districts(apps, schema_editor):
    Region = apps.get_model("challenges", "Region")
    District = apps.get_model("challenges", "District")
    regions = {r.code: r for r in Region.objects.all()}
    for row in json.loads(DATA.read_text(encoding="utf-8"))["districts"]:
        District.objects.update_or_create(
            code=district_code(row["region"], row["en"]),
            defaults={
                "region": regions[row["region"]],
                "name": row["uz"],
                "name_ru": row["ru"],
                "name_en": row["en"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("challenges", "0012_district")]

    operations = [migrations.RunPython(load_districts, migrations.RunPython.noop)]
