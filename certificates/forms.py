from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from challenges.selectors import managed_by

from . import placeholders
from .enums import IssueRule


class CertificateTemplateForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if getattr(self, "is_deferred_validation", False):
            return data  # live preview: the preview page names the problem instead
        for field in ("title", "body"):
            try:
                placeholders.check(data.get(field) or "")
            except placeholders.PlaceholderError as exc:
                self.add_error(field, str(exc))
        return data


class IssueForm(forms.Form):
    challenge = forms.ModelChoiceField(label=_("Challenge"), queryset=None)
    rule = forms.ChoiceField(label=_("Recipients"), choices=IssueRule.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = managed_by(user).order_by("-created_at")


class ConfirmIssueForm(IssueForm):
    """The confirmation step: the same choice, and — when the challenge's phase does not
    allow the rule yet — an explicit "issue anyway" with the reason kept in the audit."""

    override = forms.BooleanField(label=_("Issue anyway"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for issuing anyway"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with your name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].widget = forms.HiddenInput()
        self.fields["rule"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Say why the certificates are issued anyway."))
        return data

    @property
    def reason(self):
        """The override's reason, or "" when staff did not tick "issue anyway"."""
        data = self.cleaned_data
        return (data.get("override_reason") or "").strip() if data.get("override") else ""


class PlanForm(forms.Form):
    """Pick a challenge to see, per rule, who a batch would reach (GET, changes nothing)."""

    challenge = forms.ModelChoiceField(label=_("Challenge to check"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = managed_by(user).order_by("-created_at")
        self.fields["challenge"].widget.attrs["id"] = "id_plan_challenge"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Shown on the public verification page."),
    )


class ReissueForm(forms.Form):
    recipient_name = forms.CharField(label=_("Corrected name"), max_length=300)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)
