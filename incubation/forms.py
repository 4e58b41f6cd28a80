from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.forms import limit, show_limits
from submissions.enums import MemberRole

from .enums import MilestoneStatus
from .models import MentorComment, Milestone, ProgressReport, Stage, StageChange, Support
from .services.files import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one ``<input type=file multiple>``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        if len(items) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files."), params={"count": MAX_FILES}
            )
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadedIdsField(forms.CharField):
    """Ids of files already uploaded straight to S3 by the page's script ("12,13")."""

    widget = forms.HiddenInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return [int(part) for part in value.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Please upload the files again.")) from exc


ATTACHMENT_HELP = _("PDF, PNG, JPEG, WebP or ZIP; up to 20 MB each, at most 5 files.")


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Move to stage"), queryset=Stage.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=limit(StageChange, "note"))

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(cohort=cohort)


class IncubateForm(forms.Form):
    submissions = forms.ModelMultipleChoiceField(
        label=_("Entries to incubate"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one entry.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submissions"].queryset = queryset
        self.fields["submissions"].label_from_instance = lambda s: (
            f"{s.title} — {s.team.name if s.team else s.owner} ({s.get_status_display()})"
        )


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "description", "due_on", "owner"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["rows"] = 3
        show_limits(self)
        owner_ids = Q(pk=project.owner_id)
        if project.team_id:
            owner_ids |= Q(
                team_memberships__team_id=project.team_id,
                team_memberships__role=MemberRole.MEMBER,
            )
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(owner_ids).distinct().order_by("username")
        )


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=limit(Milestone, "evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows the milestone is reached: links, numbers, a short account."),
    )
    files = MultipleFileField(label=_("Evidence files"), help_text=ATTACHMENT_HELP)
    uploaded = UploadedIdsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


class ReportForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), coerce=str)
    narrative = forms.CharField(
        label=_("What happened in this period"),
        max_length=limit(ProgressReport, "narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    blockers = forms.CharField(
        label=_("Blockers and help needed"),
        required=False,
        max_length=limit(ProgressReport, "blockers"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)
    uploaded = UploadedIdsField()

    def __init__(self, *args, project, periods, initial_period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_map = {p.isoformat(): p for p in periods}
        self.fields["period"].choices = [
            (p.isoformat(), formats.date_format(p, "YEAR_MONTH_FORMAT")) for p in periods
        ]
        if initial_period is not None:
            self.fields["period"].initial = initial_period.isoformat()
        self.kpis = list(project.cohort.kpis.all())
        for kpi in self.kpis:
            label = f"{kpi.display_name} ({kpi.unit})" if kpi.unit else kpi.display_name
            self.fields[f"kpi_{kpi.slug}"] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=16, decimal_places=2
            )
        # Keep attachments last, after the numbers.
        last = ["attachments", "uploaded"]
        self.order_fields([f for f in self.fields if f not in last] + last)
        show_limits(self)

    def clean_period(self):
        return self.period_map[self.cleaned_data["period"]]

    def kpi_values(self):
        return {
            kpi.slug: self.cleaned_data.get(f"kpi_{kpi.slug}")
            for kpi in self.kpis
            if self.cleaned_data.get(f"kpi_{kpi.slug}") is not None
        }

    def kpi_fields(self):
        return [self[f"kpi_{kpi.slug}"] for kpi in self.kpis]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=limit(MentorComment, "body"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


class SupportForm(forms.ModelForm):
    class Meta:
        model = Support
        fields = ["kind", "title", "amount", "currency", "given_on", "note"]
        widgets = {
            "given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


class MentorForm(forms.Form):
    user = forms.CharField(
        label=_("Mentor's username or e-mail"),
        max_length=150,
    )

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        User = get_user_model()
        user = User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value)).first()
        if user is None:
            raise forms.ValidationError(_("No account has this username or e-mail."))
        return user


class LinkForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100)
    url = forms.URLField(label=_("Address"), assume_scheme="https")
