import json
from pathlib import Path

from django.db import migrations

from challenges.services.districts import district_code
from challenges.services.regions import region_rows

#: Districts and district-level cities; its "about" says where the facts come from.
DATA = Path(__file__).resolve().parent.parent / "data" / "uz_districts.json"


def load_districts(apps, schema_editor):
    Region = apps.get_model("challenges", "Region")
    District = apps.get_model("challenges", "District")
    # The regions first (a database emptied and migrated again, as migration tests do, has
    # none yet): the same rows ``ensure_regions`` writes.
    for row in region_rows():
        Region.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["uz"], "name_ru": row["ru"], "name_en": row["en"]},
        )
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
