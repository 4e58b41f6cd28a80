from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import show_limits

from .models import Broadcast
from .services import segments

LOCAL = "%Y-%m-%dT%H:%M"
NOW, LATER = "now", "later"


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = [
            "segment",
            "track",
            "cohort",
            "subject",
            "body",
            "subject_ru",
            "body_ru",
            "subject_en",
            "body_en",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "body_ru": forms.Textarea(attrs={"rows": 6}),
            "body_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "subject": _("Also the text of the SMS: keep it short."),
            "track": _("Only for “Entrants of one track”."),
            "cohort": _("Only for “Mentors of an incubation cohort”."),
        }

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.challenge = challenge
        self.fields["track"].queryset = challenge.tracks.all()
        self.fields["cohort"].queryset = segments.cohorts_of(challenge)
        show_limits(self)


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (LATER, _("Send at a time"))],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    send_at = forms.DateTimeField(
        label=_("Send at (Tashkent time)"),
        required=False,
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == LATER and not data.get("send_at"):
            self.add_error("send_at", _("Choose when to send it."))
        if data.get("when") == NOW:
            data["send_at"] = None
        return data
