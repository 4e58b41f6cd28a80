"""Staff edit challenges in the Wagtail admin: one form with inline phases, tracks, prizes
and the entry form. Non-superusers see (and can open) only the challenges they manage; any other
challenge answers 404, so its existence does not leak."""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from core import audit
from core.access import ObjectAccessMixin

from .models import TIME_ZONE_CHOICES, Challenge, EntryField, Track
from .selectors import managed_by
from .services.entry_forms import ensure_default_form

VALID_ZONES = {name for name, _label in TIME_ZONE_CHOICES}


class ManagedScopeMixin(ObjectAccessMixin):
    """Every object view (edit, delete, copy, history, usage): 404 for a challenge the
    person does not manage."""

    see_permission = "challenges.manage_challenge"


class ChallengeTimeZoneMixin:
    """Phase times are typed and shown in the challenge's own time zone (the one in the
    submitted form, else the saved one, else the default), not the server's."""

    def challenge_zone(self, request):
        submitted = request.POST.get("time_zone") if request.method == "POST" else None
        saved = None
        if "pk" in self.kwargs:
            saved = (
                Challenge.objects.filter(pk=unquote(str(self.kwargs["pk"])))
                .values_list("time_zone", flat=True)
                .first()
            )
        for name in (submitted, saved, settings.TANLOV_DEFAULT_TIME_ZONE):
            if name in VALID_ZONES:
                return zoneinfo.ZoneInfo(name)
        return zoneinfo.ZoneInfo(settings.TANLOV_DEFAULT_TIME_ZONE)

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(self.challenge_zone(request)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # render while the zone is active (lazy responses)
        return response


class ChallengeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return managed_by(self.request.user).order_by("-created_at")


class ChallengeCreateView(ChallengeTimeZoneMixin, generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        # A manager who creates a challenge manages it, or it would vanish from their list.
        if not self.request.user.is_superuser:
            instance.managers.add(self.request.user)
        # A new challenge starts with the default entry form unless staff built their own.
        ensure_default_form(challenge=instance)
        audit.record(action="challenges.challenge.created", obj=instance, by=self.request.user)
        return instance


class ChallengeEditView(ManagedScopeMixin, ChallengeTimeZoneMixin, generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        audit.record(action="challenges.challenge.changed", obj=instance, by=self.request.user)
        return instance


class ChallengeDeleteView(ManagedScopeMixin, generic.DeleteView):
    pass


class ChallengeCopyView(ManagedScopeMixin, generic.CopyView):
    pass


class ChallengeHistoryView(ManagedScopeMixin, history.HistoryView):
    pass


class ChallengeUsageView(ManagedScopeMixin, usage.UsageView):
    pass


class ChallengeForm(WagtailAdminModelForm):
    """Keeps choices inside this challenge: a prize's track is one of its own tracks, and
    only staff accounts can be made managers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "managers" in self.fields:
            self.fields["managers"].queryset = (
                get_user_model().objects.filter(is_staff=True).order_by("username")
            )
        tracks = (
            Track.objects.filter(challenge=self.instance)
            if self.instance.pk
            else Track.objects.none()
        )
        prizes = self.formsets.get("prizes") if hasattr(self, "formsets") else None
        if prizes is not None:
            for form in [*prizes.forms, prizes.empty_form]:
                if "track" in form.fields:
                    form.fields["track"].queryset = tracks
        questions = self.formsets.get("entry_fields") if hasattr(self, "formsets") else None
        if questions is not None:
            for form in [*questions.forms, questions.empty_form]:
                if "tracks" in form.fields:
                    form.fields["tracks"].queryset = tracks
                if "stage" in form.fields:
                    # Posted without it (an older page, a script): the question keeps its
                    # form, and a new one is on the entry form (the model's default).
                    form.fields["stage"].required = False

    def clean(self):
        data = super().clean()
        questions = self.formsets.get("entry_fields") if hasattr(self, "formsets") else None
        if questions is not None:
            # A deleted form's own errors are ignored by its formset: say it on the challenge.
            for message in check_questions(questions):
                self.add_error(None, message)
        return data


def check_questions(formset):
    """The entry form as a whole: a question with answers is archived, never deleted; names
    are unique; a condition names another question of this form (by name or Uzbek label)."""
    refused, kept, names, labels, kinds = [], [], set(), {}, set()
    for form in formset.forms:
        # The formsets are validated after the parent form: validate them here first.
        if not form.is_valid() and not form.cleaned_data.get("DELETE"):
            continue
        if not form.has_changed() and not form.instance.pk:
            continue
        instance = form.instance
        if form.cleaned_data.get("DELETE"):
            stored = EntryField.objects.filter(pk=instance.pk).first() if instance.pk else None
            if stored is not None and stored.has_answers():
                refused.append(
                    _("“%(label)s” has answers: archive it instead of deleting it.")
                    % {"label": stored.label}
                )
            continue
        name = instance.clean_name or instance.get_field_clean_name()
        if name in names:
            form.add_error("label", _("Two questions have the same name; change a label."))
        names.add(name)
        if form.cleaned_data.get("field_type") == "file":
            kind = form.cleaned_data.get("file_kind")
            if kind in kinds:
                form.add_error("file_kind", _("The form already asks for a file of this kind."))
            kinds.add(kind)
        labels[(form.cleaned_data.get("label") or "").strip().casefold()] = name
        kept.append((form, name))
    for form, name in kept:
        wanted = (form.cleaned_data.get("condition_field") or "").strip()
        if not wanted:
            continue
        resolved = wanted if wanted in names else labels.get(wanted.casefold())
        if resolved is None or resolved == name:
            form.add_error(
                "condition_field", _("Name another question of this form (its name or label).")
            )
        else:
            form.instance.condition_field = resolved
            form.cleaned_data["condition_field"] = resolved
    return refused


class ChallengeViewSet(ModelViewSet):
    model = Challenge
    icon = "trophy"
    menu_label = _("Challenges")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ChallengeIndexView
    add_view_class = ChallengeCreateView
    edit_view_class = ChallengeEditView
    delete_view_class = ChallengeDeleteView
    copy_view_class = ChallengeCopyView
    history_view_class = ChallengeHistoryView
    usage_view_class = ChallengeUsageView
    list_display = ["title", "kind", "organiser", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "title_ru", "title_en", "slug", "organiser"]

    edit_handler_panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("title_ru"), FieldPanel("title_en")]),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("organiser")]),
                FieldRowPanel([FieldPanel("time_zone"), FieldPanel("grace_minutes")]),
            ],
            heading=_("Challenge"),
        ),
        InlinePanel(
            "phases",
            heading=_("Phases"),
            label=_("Phase"),
            help_text=_("Times are in the challenge's time zone."),
            panels=[
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            ],
        ),
        InlinePanel(
            "tracks",
            heading=_("Tracks"),
            label=_("Track"),
            panels=[
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                FieldPanel("gender_rule"),
            ],
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
                FieldPanel("age_reference_date"),
                FieldPanel("gender_rule"),
                FieldPanel("allowed_regions", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("team_min_size"), FieldPanel("team_max_size")]),
                FieldRowPanel([FieldPanel("individual_entries"), FieldPanel("mentor_required")]),
            ],
            heading=_("Who may take part"),
        ),
        InlinePanel(
            "prizes",
            heading=_("Prizes"),
            label=_("Prize"),
            panels=[
                FieldRowPanel([FieldPanel("place"), FieldPanel("track")]),
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("title_ru"), FieldPanel("title_en")]),
                FieldRowPanel([FieldPanel("amount"), FieldPanel("currency")]),
                FieldPanel("description"),
            ],
        ),
        InlinePanel(
            "entry_fields",
            heading=_("Entry form"),
            label=_("Question"),
            help_text=_(
                "The questions every entry answers, in order. A question that has answers "
                "cannot be deleted: archive it."
            ),
            panels=[
                FieldRowPanel(
                    [FieldPanel("field_type"), FieldPanel("required"), FieldPanel("stage")]
                ),
                FieldPanel("label"),
                FieldRowPanel([FieldPanel("label_ru"), FieldPanel("label_en")]),
                FieldPanel("help_text"),
                FieldRowPanel([FieldPanel("help_text_ru"), FieldPanel("help_text_en")]),
                FieldPanel("choices"),
                FieldRowPanel([FieldPanel("choices_ru"), FieldPanel("choices_en")]),
                FieldRowPanel(
                    [FieldPanel("widget"), FieldPanel("min_choices"), FieldPanel("max_choices")]
                ),
                FieldRowPanel([FieldPanel("max_length"), FieldPanel("max_words")]),
                FieldRowPanel(
                    [FieldPanel("min_value"), FieldPanel("max_value"), FieldPanel("integer_only")]
                ),
                FieldRowPanel([FieldPanel("visibility"), FieldPanel("hide_in_blind")]),
                FieldPanel("tracks", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("condition_field"), FieldPanel("condition_value")]),
                FieldRowPanel(
                    [
                        FieldPanel("file_kind"),
                        FieldPanel("accepted_types"),
                        FieldPanel("max_size_mb"),
                        FieldPanel("max_files"),
                    ]
                ),
                FieldPanel("archived"),
            ],
        ),
        FieldPanel("managers", widget=forms.CheckboxSelectMultiple),
    ]

    edit_handler = ObjectList(edit_handler_panels, base_form_class=ChallengeForm)


@hooks.register("register_admin_viewset")
def register_challenge_viewset():
    return ChallengeViewSet("challenge")
