import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from challenges.models import Region

from .enums import DEFAULT_STAGES, MilestoneStatus
from .models import Cohort, Milestone, ProgressReport, Stage

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    cohort = django_filters.ModelChoiceFilter(label=_("Cohort"), queryset=Cohort.objects.none())
    stage = django_filters.ChoiceFilter(label=_("Stage"), method="filter_stage", choices=[])
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all())
    late = django_filters.ChoiceFilter(
        label=_("Late milestones"), choices=YES_NO, method="filter_late"
    )
    missing_report = django_filters.ChoiceFilter(
        label=_("Missing report"), choices=YES_NO, method="filter_missing"
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cohort"].queryset = cohorts
        slugs = dict.fromkeys(slug for slug, *_ in DEFAULT_STAGES)
        names = {slug: en for slug, _uz, _ru, en, _kind in DEFAULT_STAGES}
        for stage in Stage.objects.filter(cohort__in=cohorts).order_by("sort_order"):
            slugs.setdefault(stage.slug, None)
            names[stage.slug] = stage.display_name
        self.filters["stage"].extra["choices"] = [(s, names[s]) for s in slugs]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(team__name__icontains=value))

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage__slug=value)

    def _per_cohort(self, queryset, build):
        # One query for the cohorts involved, then one condition per cohort (each has its
        # own "today" and reporting periods); the row count does not change the queries.
        condition = Q(pk__in=[])
        for cohort in Cohort.objects.filter(pk__in=queryset.values("cohort_id")):
            condition |= build(cohort)
        return condition

    def filter_late(self, queryset, name, value):
        def late(cohort):
            late = Milestone.objects.filter(
                project__cohort=cohort, due_on__lt=cohort.today()
            ).exclude(status=MilestoneStatus.DONE)
            return Q(cohort=cohort, pk__in=late.values("project_id"))

        condition = self._per_cohort(queryset, late)
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)

    def filter_missing(self, queryset, name, value):
        def missing(cohort):
            due = cohort.due_periods(cohort.today())
            if not due:
                return Q(pk__in=[])
            complete = (
                ProgressReport.objects.filter(project__cohort=cohort, period_start__in=due)
                .values("project_id")
                .annotate(reports=Count("id"))
                .filter(reports=len(due))
                .values("project_id")
            )
            return Q(cohort=cohort) & ~Q(pk__in=complete)

        condition = self._per_cohort(queryset, missing)
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)
