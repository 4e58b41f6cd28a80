from django.db import transaction

from ..enums import DEFAULT_KPIS, DEFAULT_STAGES
from ..models import KpiDefinition, Stage


@transaction.atomic
def ensure_defaults(*, cohort):
    """Give a cohort without stages or KPIs the defaults (idempotent)."""
    if not cohort.stages.exists():
        Stage.objects.bulk_create(
            Stage(
                cohort=cohort, slug=slug, name=uz, name_ru=ru, name_en=en, kind=kind, sort_order=i
            )
            for i, (slug, uz, ru, en, kind) in enumerate(DEFAULT_STAGES)
        )
    if not cohort.kpis.exists():
        KpiDefinition.objects.bulk_create(
            KpiDefinition(
                cohort=cohort,
                slug=slug,
                name=uz,
                name_ru=ru,
                name_en=en,
                unit=unit,
                aggregation=aggregation,
                sort_order=i,
            )
            for i, (slug, uz, ru, en, unit, aggregation) in enumerate(DEFAULT_KPIS)
        )
    return cohort
