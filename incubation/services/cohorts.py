from django.db import transaction

from core.audit import record

from ..enums import DEFAULT_KPIS, DEFAULT_STAGES
from ..models import Cohort, KpiDefinition, Stage


@transaction.atomic
def create_cohort(*, name, starts_on, ends_on, challenges=(), managers=(), by=None, **fields):
    """Create a cohort with the default stages and KPIs.

    Side effects: an audit entry ``incubation.cohort.created``.
    """
    cohort = Cohort.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, **fields)
    # Through the reverse side: a ParentalManyToManyField's own manager waits for save().
    for challenge in challenges:
        challenge.cohorts.add(cohort)
    for manager in managers:
        manager.managed_cohorts.add(cohort)
    ensure_defaults(cohort=cohort)
    record(action="incubation.cohort.created", obj=cohort, by=by)
    return cohort


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
