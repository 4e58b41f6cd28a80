"""Staff set up cohorts in the Wagtail admin: dates, challenges, managers, stages and KPIs.

The day-to-day staff pages (board, table, cohort KPIs, CSV/XLSX and the small project
actions) are admin views too, under /admin/incubation/ (``incubation_admin:…``), linked from
the admin menu. Staff see only cohorts they run or whose challenges they manage.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from challenges.selectors import managed_by
from core import audit
from core.access import ObjectAccessMixin

from . import admin_views
from .models import Cohort
from .selectors import is_programme_staff, staff_cohorts
from .services.cohorts import ensure_defaults


class CohortScopeMixin(ObjectAccessMixin):
    """Every object view (edit, delete, copy, history, usage): 404 outside one's cohorts."""

    see_permission = "incubation.manage_cohort"


class CohortIndexView(generic.IndexView):
    def get_base_queryset(self):
        return staff_cohorts(self.request.user).order_by("-starts_on")


class CohortCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        if not self.request.user.is_superuser:
            instance.managers.add(self.request.user)
        # Stages and KPIs left empty get the defaults (onboarding → … → graduated, dropped).
        ensure_defaults(cohort=instance)
        audit.record(action="incubation.cohort.created", obj=instance, by=self.request.user)
        return instance


class CohortEditView(CohortScopeMixin, generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        ensure_defaults(cohort=instance)
        audit.record(action="incubation.cohort.changed", obj=instance, by=self.request.user)
        return instance


class CohortDeleteView(CohortScopeMixin, generic.DeleteView):
    pass


class CohortCopyView(CohortScopeMixin, generic.CopyView):
    pass


class CohortHistoryView(CohortScopeMixin, history.HistoryView):
    pass


class CohortUsageView(CohortScopeMixin, usage.UsageView):
    pass


class CohortForm(WagtailAdminModelForm):
    """Only challenges the person manages, and only staff accounts as managers."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "challenges" in self.fields and for_user is not None:
            self.fields["challenges"].queryset = managed_by(for_user).order_by("title")
        if "managers" in self.fields:
            self.fields["managers"].queryset = (
                get_user_model().objects.filter(is_staff=True).order_by("username")
            )


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Incubation cohorts")
    menu_order = 180
    add_to_admin_menu = True
    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    copy_view_class = CohortCopyView
    history_view_class = CohortHistoryView
    usage_view_class = CohortUsageView
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name", "name_ru", "name_en"]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                    FieldRowPanel([FieldPanel("report_every_months"), FieldPanel("time_zone")]),
                    FieldPanel("challenges", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("managers", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Cohort"),
            ),
            InlinePanel(
                "stages",
                heading=_("Stages"),
                label=_("Stage"),
                help_text=_("Empty: onboarding, prototype, pilot, scale, graduated, dropped."),
                panels=[
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
                    FieldRowPanel([FieldPanel("slug"), FieldPanel("kind")]),
                ],
            ),
            InlinePanel(
                "kpis",
                heading=_("KPIs"),
                label=_("KPI"),
                help_text=_(
                    "Empty: users reached, beneficiaries, women beneficiaries, revenue, "
                    "jobs created."
                ),
                panels=[
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
                    FieldRowPanel(
                        [FieldPanel("slug"), FieldPanel("unit"), FieldPanel("aggregation")]
                    ),
                ],
            ),
        ],
        base_form_class=CohortForm,
    )


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return CohortViewSet("incubation_cohort")


admin_urls = (
    [
        path("", admin_views.board, name="board"),
        path("projects/", admin_views.table, name="table"),
        path("projects.csv", admin_views.export_csv, name="export"),
        path("cohorts/<int:pk>/", admin_views.cohort_detail, name="cohort"),
        path("cohorts/<int:pk>/incubate/", admin_views.incubate, name="incubate"),
        path("projects/<int:pk>/move/", admin_views.move, name="move"),
        path("projects/<int:pk>/milestones/", admin_views.milestone_add, name="milestone_add"),
        path("projects/<int:pk>/support/", admin_views.support_add, name="support_add"),
        path("projects/<int:pk>/mentors/", admin_views.mentor_add, name="mentor_add"),
        path("projects/<int:pk>/links/", admin_views.link_add, name="link_add"),
    ],
    "incubation_admin",
)


@hooks.register("register_admin_urls")
def register_incubation_urls():
    return [path("incubation/", include(admin_urls))]


class StaffBoardMenuItem(MenuItem):
    def is_shown(self, request):
        return is_programme_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return StaffBoardMenuItem(
        _("Incubation board"), reverse("incubation_admin:board"), icon_name="table", order=181
    )
