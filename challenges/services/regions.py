"""The regions of Uzbekistan, from the data file the migration also loads."""

import json
from pathlib import Path

from ..models import District, Region
from .districts import district_code

DATA = Path(__file__).resolve().parent.parent / "data" / "uz_regions.json"
DISTRICTS = DATA.with_name("uz_districts.json")


def region_rows():
    return json.loads(DATA.read_text(encoding="utf-8"))["regions"]


def ensure_regions():
    """Create or refresh every region and its districts (idempotent); returns
    ``{code: Region}``."""

    regions = {}
    for row in region_rows():
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["uz"], "name_ru": row["ru"], "name_en": row["en"]},
        )
    for row in json.loads(DISTRICTS.read_text(encoding="utf-8"))["districts"]:
        District.objects.update_or_create(
            code=district_code(row["region"], row["en"]),
            defaults={
                "region": regions[row["region"]],
                "name": row["uz"],
                "name_ru": row["ru"],
                "name_en": row["en"],
            },
        )
    return regions
