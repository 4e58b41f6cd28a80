from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PeoplesChoice
from .services.votes import ACCEPT, VOID

LOCAL = "%Y-%m-%dT%H:%M"


class PeoplesChoiceForm(forms.ModelForm):
    class Meta:
        model = PeoplesChoice
        fields = ["opens_at", "closes_at", "require_phone"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The vote must close after it opens."))
        return data


class ReviewForm(forms.Form):
    votes = forms.TypedMultipleChoiceField(label=_("Votes"), coerce=int, choices=())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: count these votes")), (VOID, _("Void these votes"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["votes"].choices = [(v.pk, str(v.pk)) for v in held]
        self.fields["votes"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["votes"].choices
        )
