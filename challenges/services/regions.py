"""The regions of Uzbekistan, from the data file the migration also loads."""

import json
from pathlib import Path

from ..models import Region

DATA = Path(__file__).resolve().parent.parent / "data" / "uz_regions.json"


def region_rows():
    return json.loads(DATA.read_text(encoding="utf-8"))["regions"]


def ensure_regions():
    """Create or refresh every region (idempotent); returns ``{code: Region}``."""

    regions = {}
    for row in region_rows():
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["uz"], "name_ru": row["ru"], "name_en": row["en"]},
        )
    return regions
