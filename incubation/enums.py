from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    """What a stage means for reporting, whatever a cohort calls it."""

    ACTIVE = "active", _("Active")
    GRADUATED = "graduated", _("Graduated")
    DROPPED = "dropped", _("Dropped")


class MilestoneStatus(models.TextChoices):
    """Stored statuses; "late" is derived from the due date (see ``Milestone.state_on``)."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class MilestoneState(models.TextChoices):
    """What people see: the stored status, or "late" once the due day has passed."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")


class SupportKind(models.TextChoices):
    GRANT = "grant", _("Grant or tranche")
    TRAINING = "training", _("Training")
    IN_KIND = "in_kind", _("In-kind support")


class KpiAggregation(models.TextChoices):
    """How a KPI adds up over time: flows are summed, stocks keep their latest value."""

    SUM = "sum", _("Sum of the periods (e.g. revenue)")
    LATEST = "latest", _("Latest value (e.g. users reached so far)")


class ReminderKind(models.TextChoices):
    MILESTONE_DUE = "milestone_due", _("Milestone due soon")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
    REPORT_MISSING = "report_missing", _("Progress report missing")


# Stages a new cohort starts with: (slug, uz, ru, en, kind).
DEFAULT_STAGES = [
    ("onboarding", "Boshlangʻich bosqich", "Онбординг", "Onboarding", StageKind.ACTIVE),
    ("prototype", "Prototip", "Прототип", "Prototype", StageKind.ACTIVE),
    ("pilot", "Pilot", "Пилот", "Pilot", StageKind.ACTIVE),
    ("scale", "Kengaytirish", "Масштабирование", "Scale", StageKind.ACTIVE),
    ("graduated", "Bitirgan", "Выпуск", "Graduated", StageKind.GRADUATED),
    ("dropped", "Toʻxtatilgan", "Выбыл", "Dropped", StageKind.DROPPED),
]

# KPIs a new cohort starts with: (slug, uz, ru, en, unit, aggregation).
DEFAULT_KPIS = [
    (
        "users_reached",
        "Foydalanuvchilar",
        "Охват пользователей",
        "Users reached",
        "",
        KpiAggregation.LATEST,
    ),
    ("beneficiaries", "Benefitsiarlar", "Бенефициары", "Beneficiaries", "", KpiAggregation.LATEST),
    (
        "women_beneficiaries",
        "Ayol benefitsiarlar",
        "Женщины-бенефициары",
        "Women beneficiaries",
        "",
        KpiAggregation.LATEST,
    ),
    ("revenue", "Daromad", "Выручка", "Revenue", "UZS", KpiAggregation.SUM),
    (
        "jobs_created",
        "Yaratilgan ish oʻrinlari",
        "Созданные рабочие места",
        "Jobs created",
        "",
        KpiAggregation.SUM,
    ),
]
